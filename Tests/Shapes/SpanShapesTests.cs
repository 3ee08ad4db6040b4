using Fixtures;

namespace Trapweave.Tests.Shapes;

public class SpanShapesTests
{
    delegate int SumFn(ReadOnlySpan<int> values);
    delegate void FillFn(Span<int> values, int value);
    delegate Span<int> SliceFn(Span<int> values, int start);
    delegate ReadOnlySpan<char> TrimFn(ReadOnlySpan<char> text);
    delegate int TotalFn(Cursor cursor);
    delegate int CursorReadFn(ref Cursor self);
    delegate int CursorPeekFn();
    delegate void IncrementFn(ref RefFieldHolder self);
    delegate int FirstFn<T>(Span<T> values);

    [Fact]
    public void Span_parameters_pass_through_without_boxing()
    {
        using (Trap.Patch<SumFn>(SpanShapes.Sum, v => v.Length))
        using (Trap.Patch<FillFn>(SpanShapes.FillWith, (v, x) => v[0] = -x))
        {
            Assert.Equal(3, SpanShapes.Sum(new[] { 5, 5, 5 }));
            var data = new int[2];
            SpanShapes.FillWith(data, 4);
            Assert.Equal(new[] { -4, 0 }, data);
        }
        Assert.Equal(15, SpanShapes.Sum(new[] { 5, 5, 5 }));
    }

    [Fact]
    public void Span_results_are_returned_from_a_patch()
    {
        var data = new[] { 1, 2, 3, 4 };
        using (Trap.Patch<SliceFn>(SpanShapes.Slice, (v, s) => v.Slice(0, s)))
        using (Trap.Patch<TrimFn>(SpanShapes.Trimmed, t => t.Slice(0, 1)))
        {
            Assert.Equal(new[] { 1, 2 }, SpanShapes.Slice(data, 2).ToArray());
            Assert.Equal(" ", SpanShapes.Trimmed("  x  ").ToString());
        }
        Assert.Equal(new[] { 3, 4 }, SpanShapes.Slice(data, 2).ToArray());
        Assert.Equal("x", SpanShapes.Trimmed("  x  ").ToString());
    }

    [Fact]
    public void Ref_struct_parameters_and_generic_spans_are_patchable()
    {
        var target = typeof(SpanShapes).GetMethod("First")!.MakeGenericMethod(typeof(int));
        using (Trap.Patch<TotalFn>(SpanShapes.Total, c => -1))
        using (Trap.Patch(target, (FirstFn<int>)(v => v[^1])))
        {
            Assert.Equal(-1, SpanShapes.Total(new Cursor(new int[3])));
            Assert.Equal(3, SpanShapes.First<int>(new[] { 1, 2, 3 }));
            Assert.Equal("a", SpanShapes.First<string>(new[] { "a", "b" }));
        }
        Assert.Equal(3, SpanShapes.Total(new Cursor(new int[3])));
        Assert.Equal(1, SpanShapes.First<int>(new[] { 1, 2, 3 }));
    }

    [Fact]
    public void Methods_of_ref_structs_are_patchable_for_all_receivers()
    {
        var cursor = new Cursor(new[] { 10, 20, 30 });
        using (Trap.Patch(Bind.Method(typeof(Cursor), "Read"), (CursorReadFn)((ref Cursor self) => self.Peek() + 1000)))
        using (Trap.Patch(Bind.Method(typeof(Cursor), "Peek"), (CursorPeekFn)(() => 7)))
        {
            Assert.Equal(1007, cursor.Read());
            Assert.Equal(3, cursor.Remaining);
        }
        Assert.Equal(10, cursor.Read());
        Assert.Equal(20, cursor.Peek());
    }

    [Fact]
    public void Ref_structs_with_ref_fields_are_patchable()
    {
        var value = 1;
        var holder = new RefFieldHolder(ref value);
        using (Trap.Patch(Bind.Method(typeof(RefFieldHolder), "Increment"), (IncrementFn)((ref RefFieldHolder self) => self.Target += 100)))
            holder.Increment();
        Assert.Equal(101, value);
        holder.Increment();
        Assert.Equal(102, value);
    }
}

public class RefStructConstructorTests
{
    delegate void CursorCtor(ref Cursor self, Span<int> data);

    [Fact]
    public void Constructors_of_ref_structs_are_patchable()
    {
        var data = new[] { 1, 2, 3 };
        using (Trap.Patch(Bind.Ctor(typeof(Cursor), typeof(Span<int>)), (CursorCtor)((ref Cursor self, Span<int> d) => self = default)))
            Assert.Equal(0, new Cursor(data).Remaining);
        Assert.Equal(3, new Cursor(data).Remaining);
    }
}

/// <summary>
/// A pass-through interceptor on a readonly ref struct's methods (found through SQLitePCLRaw's utf8z,
/// which Microsoft.Data.Sqlite pins to open a database) changes nothing.
/// </summary>
public class RefStructInterceptionTests
{
    [Fact]
    public void Pass_through_interceptors_on_a_readonly_ref_struct_and_its_callers_change_nothing()
    {
        var methods = typeof(Utf8Z).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly).Cast<System.Reflection.MethodBase>()
            .Concat(typeof(Utf8Z).GetConstructors(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance))
            .Concat(typeof(Utf8Calls).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly))
            .Where(Trap.IsTrapped).ToList();
        Assert.True(methods.Count >= 5, string.Join(", ", methods));
        var seen = new HashSet<string>();
        var registrations = methods.Select(m => Trap.Intercept(m, _ => { lock (seen) seen.Add(m.Name); })).ToList();
        try
        {
            Assert.Equal('A', Utf8Calls.FirstByte(Utf8Z.FromString("AB")));
            Assert.Equal(3, Utf8Calls.LengthOf(Utf8Z.FromString("AB")));
            // An empty one pins to a null ref: the interceptor must not read through it.
            Assert.Equal(-1, Utf8Calls.FirstByte(Utf8Z.FromString(null)));
        }
        finally
        {
            foreach (var registration in registrations) registration.Dispose();
        }
        Assert.Contains("GetPinnableReference", seen);
        Assert.Contains("FirstByte", seen);
    }

    [Fact]
    public void An_interceptor_sees_a_null_ref_result_as_unavailable()
    {
        var pin = typeof(Utf8Z).GetMethod(nameof(Utf8Z.GetPinnableReference))!;
        var results = new List<object>();
        using (Trap.Intercept(pin, null, call => results.Add(call.Result)))
        {
            Assert.Equal(-1, Utf8Calls.FirstByte(Utf8Z.FromString(null)));
            Assert.Equal('Z', Utf8Calls.FirstByte(Utf8Z.FromString("Z")));
        }
        Assert.Equal(new object[] { Invocation.Unavailable, (byte)'Z' }, results);
    }
}
