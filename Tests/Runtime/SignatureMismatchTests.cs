using System.Reflection;
using Fixtures.Runtime;

namespace Trapweave.Tests.Runtime;

/// <summary>A replacement that does not fit is refused with a message naming every part that differs, and the signature that would fit.</summary>
public class SignatureMismatchTests
{
    delegate void SplitRef(string text, ref string head, string tail);
    delegate void SplitOut(string text, out string head, out string tail);
    delegate int BumpByValue(int counter);

    static MethodInfo Method(string name) => typeof(Interception).GetMethod(name);

    static string Refused(Func<IDisposable> register) => Assert.Throws<TrapException>(register).Message;

    [Fact]
    public void Return_type_and_each_parameter_are_named_when_all_differ()
    {
        var message = Refused(() => Trap.Patch(Method(nameof(Interception.Divide)), new Func<string, long, string>((a, b) => "")));

        Assert.Equal(
            "The replacement Func<String, Int64, String> does not fit Interception.Divide(Int32, Int32): " +
            "it returns String, the method returns Int32; " +
            "parameter 1 (a) is String, the method's is Int32; " +
            "parameter 2 (b) is Int64, the method's is Int32. " +
            "Use a delegate of signature Int32 (Int32, Int32).",
            message);
    }

    [Fact]
    public void A_wrong_parameter_is_named_even_when_the_return_type_fits()
    {
        var message = Refused(() => Trap.Patch(Method(nameof(Interception.Divide)), new Func<int, string, int>((a, b) => 0)));

        Assert.Contains("parameter 2 (b) is String, the method's is Int32", message);
        Assert.DoesNotContain("returns", message);
        Assert.DoesNotContain("parameter 1", message);
    }

    [Fact]
    public void Too_few_parameters_name_the_count_the_missing_ones_and_the_return_type()
    {
        var message = Refused(() => Trap.Patch(Method(nameof(Interception.Divide)), new Func<int, string>(x => "")));

        Assert.Contains("it returns String, the method returns Int32", message);
        Assert.Contains("it has 1 parameter, the method 2 parameters", message);
        Assert.Contains("parameter 2 (Int32 b) is missing", message);
        Assert.DoesNotContain("parameter 1 (a)", message);
    }

    [Fact]
    public void Too_many_parameters_name_the_extra_ones()
    {
        var message = Refused(() => Trap.Patch(Method(nameof(Interception.Join)), new Func<string, string, int, string>((a, b, c) => "")));

        Assert.Contains("it has 3 parameters, the method 2 parameters", message);
        Assert.Contains("its parameter 3 (Int32) has no counterpart in the method", message);
    }

    [Fact]
    public void Ref_kinds_are_named_on_both_sides()
    {
        var byValue = Refused(() => Trap.Patch(Method(nameof(Interception.Bump)), new BumpByValue(c => c)));
        Assert.Contains("it returns Int32, the method returns void", byValue);
        Assert.Contains("parameter 1 (counter) is Int32, the method's is ref Int32", byValue);

        var partly = Refused(() => Trap.Patch(Method(nameof(Interception.Split)), new SplitRef((string t, ref string h, string r) => { })));
        Assert.Contains("parameter 3 (tail) is String, the method's is out String", partly);
        Assert.DoesNotContain("parameter 2", partly);
        Assert.EndsWith("Use a delegate of signature void (String, out String, out String).", partly);

        // The same signature with its ref-kinds fits.
        using (Trap.Patch(Method(nameof(Interception.Split)), new SplitOut((string t, out string h, out string r) => { h = "h"; r = "r"; })))
        {
            Interception.Split("a b", out var head, out var tail);
            Assert.Equal(("h", "r"), (head, tail));
        }
    }

    [Fact]
    public void A_receiver_of_the_wrong_type_is_named()
    {
        var message = Refused(() => Trap.Patch(typeof(Ticker).GetMethod(nameof(Ticker.Next)), new Func<string, long>(s => 0)));

        Assert.Contains("it returns Int64, the method returns Int32", message);
        Assert.Contains("its first parameter (String) is taken as the receiver and must be Ticker or a base type of it", message);
        Assert.EndsWith("Use a delegate of signature Int32 () or, to receive the instance, (Ticker).", message);
    }

    [Fact]
    public void A_value_type_receiver_must_come_by_value_or_by_ref()
    {
        var message = Refused(() => Trap.Patch(typeof(Fixtures.Point).GetMethod(nameof(Fixtures.Point.Move)), new Action<object, int, long>((p, dx, dy) => { })));

        Assert.Contains("its first parameter (Object) is taken as the receiver and must be Point or ref Point", message);
        Assert.Contains("parameter 2 (dy) is Int64, the method's is Int32", message);
        Assert.DoesNotContain("parameter 1 (dx)", message);
        Assert.EndsWith("Use a delegate of signature void (Int32, Int32) or, to receive the instance, (Point or ref Point, Int32, Int32).", message);
    }
}
