using System;
using System.Reflection;
using CliApp.Library;
using Newtonsoft.Json;

namespace CliApp;

/// <summary>
/// Prints a few results of its own methods and its library's. With CLIAPP_REPORT_TRAPS=1 it also
/// prints, for each of those methods, whether Trapweave's runtime says it is woven (it looks the
/// runtime up by name, as the host loads it: the app itself never references Trapweave).
/// </summary>
public static class Program
{
    public static int Main()
    {
        Console.WriteLine($"greeting: {Greeter.Greet("trapweave")}");
        Console.WriteLine($"total: {Pricing.Total("A-1", 3)}");
        Console.WriteLine($"order: {JsonConvert.SerializeObject(new Order { Sku = "A-1", Quantity = 3 })}");
        Console.WriteLine($"fib(10): {Greeter.Fibonacci(10)}");
        if (Environment.GetEnvironmentVariable("CLIAPP_REPORT_TRAPS") == "1") return ReportTraps();
        return 0;
    }

    static int ReportTraps()
    {
        Type trap;
        try
        {
            trap = Assembly.Load("Trapweave").GetType("Trapweave.Trap", throwOnError: true);
        }
        catch (Exception e) when (e is System.IO.FileNotFoundException or System.IO.FileLoadException)
        {
            Console.WriteLine($"trapped: Trapweave is not loadable ({e.GetType().Name})");
            return 3;
        }
        var isTrapped = trap.GetMethod("IsTrapped", new[] { typeof(MethodBase) });
        foreach (var method in new MethodBase[]
                 {
                     typeof(Greeter).GetMethod(nameof(Greeter.Greet)),
                     typeof(Greeter).GetMethod(nameof(Greeter.Fibonacci)),
                     typeof(Pricing).GetMethod(nameof(Pricing.Total)),
                     typeof(JsonConvert).GetMethod(nameof(JsonConvert.SerializeObject), new[] { typeof(object) }),
                 })
            Console.WriteLine($"trapped {method.DeclaringType.Name}.{method.Name}: {isTrapped.Invoke(null, new object[] { method })}");
        return 0;
    }
}

public static class Greeter
{
    public static string Greet(string name) => "hello, " + name;

    public static int Fibonacci(int n) => n < 2 ? n : Fibonacci(n - 1) + Fibonacci(n - 2);
}

public sealed class Order
{
    public string Sku { get; set; }
    public int Quantity { get; set; }
}
