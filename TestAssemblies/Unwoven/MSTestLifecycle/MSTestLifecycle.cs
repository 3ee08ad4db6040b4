using System;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MSTestLifecycle;

[TestClass]
public static class AssemblyLevel
{
    public static int Calls;

    [AssemblyInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        await Task.Yield();
        Calls++;
    }
}

/// <summary>A sync initializer and no cleanup: one is added.</summary>
[TestClass]
public class SyncNoCleanup
{
    public static int Calls;

    [ClassInitialize]
    public static void Initialize(TestContext context) => Calls++;

    [TestMethod]
    public void Test() { }
}

/// <summary>An async initializer and an async cleanup without a TestContext.</summary>
[TestClass]
public class AsyncWithAsyncCleanup
{
    public static int Calls;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        await Task.Delay(1);
        Calls++;
    }

    [ClassCleanup]
    public static async Task CleanUpAsync()
    {
        await Task.Yield();
        Calls--;
    }

    [TestMethod]
    public void Test() { }
}

/// <summary>A void cleanup with a TestContext and early returns (branches to the ret).</summary>
[TestClass]
public class SyncWithBranchingCleanup
{
    public static int Calls;

    [ClassInitialize]
    public static void Initialize(TestContext context) => Calls++;

    [ClassCleanup]
    public static void CleanUp(TestContext context)
    {
        if (Calls > 10) return;
        try
        {
            if (Calls < 0) return;
            Calls--;
        }
        finally
        {
            Calls++;
        }
    }

    [TestMethod]
    public void Test() { }
}

/// <summary>A cleanup returning ValueTask: left as it is (its class's scope lasts for the run).</summary>
[TestClass]
public class ValueTaskCleanup
{
    [ClassInitialize]
    public static void Initialize(TestContext context) { }

    [ClassCleanup]
    public static ValueTask CleanUpAsync() => default;

    [TestMethod]
    public void Test() { }
}

/// <summary>An initializer its derived classes inherit: the added cleanup runs for each of them too.</summary>
[TestClass]
public abstract class InheritedInitializerBase
{
    [ClassInitialize(InheritanceBehavior.BeforeEachDerivedClass)]
    public static void InitializeEach(TestContext context) { }
}

[TestClass]
public class InheritedInitializerDerived : InheritedInitializerBase
{
    [TestMethod]
    public void Test() { }
}
