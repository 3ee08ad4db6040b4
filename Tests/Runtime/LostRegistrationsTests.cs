using Fixtures.Runtime;

namespace Microsoft.VisualStudio.TestTools.UnitTesting
{
    // Stand-ins for MSTest's attributes: the runtime knows them by full name.
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class ClassInitializeAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method)]
    public sealed class AssemblyInitializeAttribute : Attribute { }
}

namespace Trapweave.Tests.Runtime
{
    using Microsoft.VisualStudio.TestTools.UnitTesting;

    /// <summary>Registrations that could never be seen fail loudly instead of being lost.</summary>
    [Collection(ScopingTests.Collection)]
    public class LostRegistrationsTests
    {
        [ClassInitialize]
        static async Task AsyncClassInitialize()
        {
            await Task.Yield();
            Trap.Patch<Func<int>>(Scoping.Value, () => 1);
        }

        [AssemblyInitialize]
        static async Task AsyncAssemblyInitialize() => Trap.When(() => Scoping.Value()).Returns(2);

        [ClassInitialize]
        static IDisposable SyncClassInitialize() => Trap.Patch<Func<int>>(Scoping.Value, () => 3);

        [Fact]
        public async Task A_registration_in_an_async_ClassInitialize_outside_any_scope_throws_with_the_fix()
        {
            var e = await Assert.ThrowsAsync<TrapException>(AsyncClassInitialize);
            Assert.Contains("Trap.Patch on Scoping.Value() in the async [ClassInitialize] method", e.Message);
            Assert.Contains("AsyncClassInitialize", e.Message);
            Assert.Contains("make AsyncClassInitialize synchronous", e.Message);
            Assert.Contains("<TrapweaveTestScopes>false</TrapweaveTestScopes>", e.Message);
            Assert.Equal(0, ScopingTests.ArmedFlag(nameof(Scoping.Value)));
        }

        [Fact]
        public async Task A_registration_in_an_async_AssemblyInitialize_throws_too()
        {
            var e = await Assert.ThrowsAsync<TrapException>(AsyncAssemblyInitialize);
            Assert.Contains("Trap.When on Scoping.Value() in the async [AssemblyInitialize] method", e.Message);
        }

        [ClassInitialize]
        static async Task CompletesAsync(TaskCompletionSource gate)
        {
            await Task.Yield();
            gate.SetResult();
        }

        [Fact]
        public async Task Code_run_inline_by_a_continuation_of_an_async_initializer_is_not_refused()
        {
            // The continuation runs inside SetResult, below CompletesAsync's frame: not its code.
            var gate = new TaskCompletionSource();
            var registered = gate.Task.ContinueWith(_ => Trap.Patch<Func<int>>(Scoping.Value, () => 4), TaskContinuationOptions.ExecuteSynchronously);
            await CompletesAsync(gate);
            using var patch = await registered;
            Assert.Equal(0, Scoping.Value()); // registered in the continuation's own flow
        }

        [Fact]
        public async Task Inside_a_scope_or_in_a_synchronous_initializer_nothing_is_lost_and_nothing_throws()
        {
            using (Trap.Scope())
            {
                await AsyncClassInitialize();
                Assert.Equal(1, Scoping.Value());
            }
            using (SyncClassInitialize()) Assert.Equal(3, Scoping.Value());
        }
    }
}
