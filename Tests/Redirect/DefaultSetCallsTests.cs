using System.Collections;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Fixtures.Redirects;
using Trapweave.Tests.Redirect.Support;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Tests.Redirect;

/// <summary>
/// Every entry of the default redirect set, through the woven <see cref="DefaultSetCalls"/> (no
/// Redirect configuration): an arrangement on the framework member is seen by the woven caller,
/// and without one the real member runs, where running it is harmless. Members whose real body
/// must not run here (exit, long sleeps, console input, processes) are called only once their
/// stubs are armed (<see cref="FixtureArming"/>). The test assembly is not woven, so its own calls
/// are the real members.
/// </summary>
public class DefaultSetCallsTests
{
    static readonly DateTime FixedTime = new(2001, 2, 3, 4, 5, 6, DateTimeKind.Local);
    static readonly DateTimeOffset FixedOffset = new(2001, 2, 3, 4, 5, 6, TimeSpan.FromHours(2));

    // ---- clock ----

    [Fact]
    [Covers("System.DateTime::get_Now")]
    public void DateTime_Now()
    {
        using (Trap.When(() => DateTime.Now).Returns(FixedTime))
            Assert.Equal(FixedTime, DefaultSetCalls.Now());
        var before = DateTime.Now;
        var real = DefaultSetCalls.Now();
        Assert.InRange(real, before, DateTime.Now);
        Assert.Equal(DateTimeKind.Local, real.Kind);
    }

    [Fact]
    [Covers("System.DateTime::get_UtcNow")]
    public void DateTime_UtcNow()
    {
        var fixedUtc = FixedTime.ToUniversalTime();
        using (Trap.When(() => DateTime.UtcNow).Returns(fixedUtc))
            Assert.Equal(fixedUtc, DefaultSetCalls.UtcNow());
        var before = DateTime.UtcNow;
        var real = DefaultSetCalls.UtcNow();
        Assert.InRange(real, before, DateTime.UtcNow);
        Assert.Equal(DateTimeKind.Utc, real.Kind);
    }

    [Fact]
    [Covers("System.DateTime::get_Today")]
    public void DateTime_Today()
    {
        using (Trap.When(() => DateTime.Today).Returns(FixedTime.Date))
            Assert.Equal(FixedTime.Date, DefaultSetCalls.Today());
        var before = DateTime.Today;
        var real = DefaultSetCalls.Today();
        Assert.InRange(real, before, DateTime.Today);
        Assert.Equal(TimeSpan.Zero, real.TimeOfDay);
    }

    [Fact]
    [Covers("System.DateTimeOffset::get_Now")]
    public void DateTimeOffset_Now()
    {
        using (Trap.When(() => DateTimeOffset.Now).Returns(FixedOffset))
            Assert.Equal(FixedOffset, DefaultSetCalls.OffsetNow());
        var before = DateTimeOffset.Now;
        Assert.InRange(DefaultSetCalls.OffsetNow(), before, DateTimeOffset.Now);
    }

    [Fact]
    [Covers("System.DateTimeOffset::get_UtcNow")]
    public void DateTimeOffset_UtcNow()
    {
        using (Trap.When(() => DateTimeOffset.UtcNow).Returns(FixedOffset))
            Assert.Equal(FixedOffset, DefaultSetCalls.OffsetUtcNow());
        var before = DateTimeOffset.UtcNow;
        var real = DefaultSetCalls.OffsetUtcNow();
        Assert.InRange(real, before, DateTimeOffset.UtcNow);
        Assert.Equal(TimeSpan.Zero, real.Offset);
    }

    [Fact]
    [Covers("System.TimeProvider::get_System")]
    public void TimeProvider_System_can_be_a_fake_clock()
    {
        var fake = new FakeTimeProvider(FixedOffset, 42);
        using (Trap.When(() => TimeProvider.System).Returns(fake))
        {
            Assert.Same(fake, DefaultSetCalls.SystemTimeProvider());
            // TimeProvider.System.GetUtcNow(): the substitute is the receiver, its override runs.
            Assert.Equal(FixedOffset, DefaultSetCalls.SystemUtcNow());
        }
        Assert.Same(TimeProvider.System, DefaultSetCalls.SystemTimeProvider());
    }

    [Fact]
    [Covers("System.TimeProvider::GetUtcNow")]
    public void TimeProvider_GetUtcNow_on_one_provider()
    {
        var system = TimeProvider.System;
        var other = new FakeTimeProvider(FixedOffset.AddDays(1), 1);
        using (Trap.When(() => system.GetUtcNow()).Returns(FixedOffset))
        {
            Assert.Equal(FixedOffset, DefaultSetCalls.ProviderUtcNow(system));
            Assert.Equal(FixedOffset, DefaultSetCalls.SystemUtcNow());
            Assert.Equal(FixedOffset.AddDays(1), DefaultSetCalls.ProviderUtcNow(other));
        }
        var before = DateTimeOffset.UtcNow;
        Assert.InRange(DefaultSetCalls.ProviderUtcNow(system), before, DateTimeOffset.UtcNow);
    }

    [Fact]
    [Covers("System.TimeProvider::GetUtcNow")]
    public void TimeProvider_GetUtcNow_patched_for_every_provider()
    {
        var getUtcNow = typeof(TimeProvider).GetMethod(nameof(TimeProvider.GetUtcNow))!;
        using (Trap.Patch(getUtcNow, new Func<TimeProvider, DateTimeOffset>(_ => FixedOffset)))
            Assert.Equal(FixedOffset, DefaultSetCalls.ProviderUtcNow(TimeProvider.System));
        Assert.NotEqual(FixedOffset, DefaultSetCalls.ProviderUtcNow(TimeProvider.System));
    }

    [Fact]
    [Covers("System.TimeProvider::GetLocalNow")]
    public void TimeProvider_GetLocalNow()
    {
        var system = TimeProvider.System;
        using (Trap.When(() => system.GetLocalNow()).Returns(FixedOffset))
            Assert.Equal(FixedOffset, DefaultSetCalls.ProviderLocalNow(system));
        var before = DateTimeOffset.Now;
        var real = DefaultSetCalls.ProviderLocalNow(system);
        Assert.InRange(real, before, DateTimeOffset.Now);
        Assert.Equal(TimeZoneInfo.Local.GetUtcOffset(real), real.Offset);
    }

    [Fact]
    [Covers("System.TimeProvider::GetTimestamp")]
    public void TimeProvider_GetTimestamp()
    {
        var system = TimeProvider.System;
        using (Trap.When(() => system.GetTimestamp()).Returns(-42L))
        {
            Assert.Equal(-42L, DefaultSetCalls.ProviderTimestamp(system));
            Assert.Equal(7L, DefaultSetCalls.ProviderTimestamp(new FakeTimeProvider(FixedOffset, 7)));
        }
        var before = Stopwatch.GetTimestamp();
        Assert.InRange(DefaultSetCalls.ProviderTimestamp(system), before, Stopwatch.GetTimestamp());
    }

    [Fact]
    [Covers("System.Diagnostics.Stopwatch::GetTimestamp")]
    public void Stopwatch_GetTimestamp()
    {
        using (Trap.When(() => Stopwatch.GetTimestamp()).Returns(-42L))
            Assert.Equal(-42L, DefaultSetCalls.StopwatchTimestamp());
        var before = Stopwatch.GetTimestamp();
        Assert.InRange(DefaultSetCalls.StopwatchTimestamp(), before, Stopwatch.GetTimestamp());
    }

    [Fact]
    [Covers("System.Diagnostics.Stopwatch::StartNew")]
    public void Stopwatch_StartNew()
    {
        var stopped = new Stopwatch();
        using (Trap.When(() => Stopwatch.StartNew()).Returns(stopped))
            Assert.Same(stopped, DefaultSetCalls.StartStopwatch());
        var real = DefaultSetCalls.StartStopwatch();
        Assert.NotSame(stopped, real);
        Assert.True(real.IsRunning);
    }

    // ---- environment ----

    [Fact]
    [Covers("System.Environment::get_TickCount")]
    public void Environment_TickCount()
    {
        using (Trap.When(() => Environment.TickCount).Returns(-42))
            Assert.Equal(-42, DefaultSetCalls.TickCount());
        var before = Environment.TickCount64;
        var real = DefaultSetCalls.TickCount();
        // TickCount is TickCount64's low 32 bits.
        Assert.InRange(real, unchecked((int)before), unchecked((int)Environment.TickCount64));
    }

    [Fact]
    [Covers("System.Environment::get_TickCount64")]
    public void Environment_TickCount64()
    {
        using (Trap.When(() => Environment.TickCount64).Returns(-42L))
            Assert.Equal(-42L, DefaultSetCalls.TickCount64());
        var before = Environment.TickCount64;
        Assert.InRange(DefaultSetCalls.TickCount64(), before, Environment.TickCount64);
    }

    [Fact]
    [Covers("System.Environment::GetEnvironmentVariable")]
    public void Environment_GetEnvironmentVariable_per_name()
    {
        var name = UniqueVariable();
        Environment.SetEnvironmentVariable(name, "real");
        try
        {
            using (Trap.When(() => Environment.GetEnvironmentVariable(name)).Returns("fake"))
            using (Trap.When(() => Environment.GetEnvironmentVariable(name, EnvironmentVariableTarget.Process)).Returns("fake too"))
            {
                Assert.Equal("fake", DefaultSetCalls.GetVariable(name));
                Assert.Equal("fake too", DefaultSetCalls.GetProcessVariable(name));
                Assert.Equal(Environment.GetEnvironmentVariable("PATH"), DefaultSetCalls.GetVariable("PATH"));
            }
            Assert.Equal("real", DefaultSetCalls.GetVariable(name));
            Assert.Equal("real", DefaultSetCalls.GetProcessVariable(name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    [Covers("System.Environment::GetEnvironmentVariables")]
    public void Environment_GetEnvironmentVariables()
    {
        var fake = new Hashtable { ["ONLY"] = "this" };
        using (Trap.When(() => Environment.GetEnvironmentVariables()).Returns(fake))
            Assert.Same(fake, DefaultSetCalls.GetVariables());
        var name = UniqueVariable();
        Environment.SetEnvironmentVariable(name, "real");
        try
        {
            Assert.Equal("real", DefaultSetCalls.GetVariables()[name]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    [Covers("System.Environment::SetEnvironmentVariable")]
    public void Environment_SetEnvironmentVariable_recorded_without_setting_it()
    {
        var name = UniqueVariable();
        var set = typeof(Environment).GetMethod(nameof(Environment.SetEnvironmentVariable), new[] { typeof(string), typeof(string) })!;
        using (Trap.When(() => Environment.SetEnvironmentVariable(Arg.Any<string>(), Arg.Any<string>())).DoesNothing())
        using (var calls = Trap.Record(set))
        {
            DefaultSetCalls.SetVariable(name, "value");
            Assert.Equal(new object[] { name, "value" }, calls.Calls.Single().Arguments);
        }
        Assert.Null(Environment.GetEnvironmentVariable(name));
        try
        {
            DefaultSetCalls.SetVariable(name, "value");
            Assert.Equal("value", Environment.GetEnvironmentVariable(name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    [Covers("System.Environment::get_MachineName")]
    public void Environment_MachineName()
    {
        using (Trap.When(() => Environment.MachineName).Returns("fake-host"))
            Assert.Equal("fake-host", DefaultSetCalls.MachineName());
        Assert.Equal(Environment.MachineName, DefaultSetCalls.MachineName());
    }

    [Fact]
    [Covers("System.Environment::get_UserName")]
    public void Environment_UserName()
    {
        using (Trap.When(() => Environment.UserName).Returns("fake-user"))
            Assert.Equal("fake-user", DefaultSetCalls.UserName());
        Assert.Equal(Environment.UserName, DefaultSetCalls.UserName());
    }

    [Fact]
    [Covers("System.Environment::Exit")]
    public void Environment_Exit_is_arranged_only()
    {
        var codes = new List<int>();
        using (Trap.When(() => Environment.Exit(Arg.Any<int>())).Does(call => codes.Add(call.Arg<int>(0))))
        {
            FixtureArming.AssertArmed(typeof(Environment).GetMethod(nameof(Environment.Exit))!);
            DefaultSetCalls.Exit(3);
        }
        Assert.Equal(new[] { 3 }, codes);
    }

    // ---- identifiers and randomness ----

    [Fact]
    [Covers("System.Guid::NewGuid")]
    public void Guid_NewGuid()
    {
        var fixedGuid = new Guid("01234567-89ab-cdef-0123-456789abcdef");
        using (Trap.When(() => Guid.NewGuid()).Returns(fixedGuid))
            Assert.Equal(fixedGuid, DefaultSetCalls.NewGuid());
        var real = DefaultSetCalls.NewGuid();
        Assert.NotEqual(fixedGuid, real);
        // The version nibble, read from the text: Guid.Version is new in .NET 9.
        Assert.Equal('4', real.ToString()[14]);
    }

#if NET9_0_OR_GREATER
    [Fact]
    [Covers("System.Guid::CreateVersion7")]
    public void Guid_CreateVersion7()
    {
        var fixedGuid = Guid.CreateVersion7(FixedOffset);
        using (Trap.When(() => Guid.CreateVersion7()).Returns(fixedGuid))
        using (Trap.When(() => Guid.CreateVersion7(Arg.Any<DateTimeOffset>())).Returns(fixedGuid))
        {
            Assert.Equal(fixedGuid, DefaultSetCalls.NewVersion7());
            Assert.Equal(fixedGuid, DefaultSetCalls.NewVersion7At(DateTimeOffset.UtcNow));
        }
        Assert.NotEqual(fixedGuid, DefaultSetCalls.NewVersion7());
        Assert.Equal(7, DefaultSetCalls.NewVersion7().Version);
        // A version 7 Guid starts with its time in milliseconds: the real one is of the time given.
        Assert.Equal(fixedGuid.ToString()[..13], DefaultSetCalls.NewVersion7At(FixedOffset).ToString()[..13]);
    }
#else
    [Fact(Skip = RuntimeLimits.CreateVersion7)]
    public void Guid_CreateVersion7() { }
#endif

    [Fact]
    [Covers("System.Random::.ctor")]
    public void Random_constructors_can_return_a_seeded_substitute()
    {
        var seeded = new Random(7);
        using (Trap.When(() => new Random()).Returns(seeded))
        using (Trap.When(() => new Random(Arg.Any<int>())).Returns(seeded))
        {
            Assert.Same(seeded, DefaultSetCalls.NewRandom());
            Assert.Same(seeded, DefaultSetCalls.NewSeededRandom(1));
        }
        Assert.NotSame(seeded, DefaultSetCalls.NewRandom());
        Assert.Equal(new Random(42).Next(), DefaultSetCalls.NewSeededRandom(42).Next());
    }

    [Fact]
    [Covers("System.Random::get_Shared")]
    public void Random_Shared()
    {
        using (Trap.When(() => Random.Shared).Returns(new Random(7)))
            Assert.Equal(new Random(7).Next(100), DefaultSetCalls.SharedNext(100));
        Assert.Same(Random.Shared, DefaultSetCalls.SharedRandom());
        Assert.InRange(DefaultSetCalls.SharedNext(100), 0, 99);
    }

    [Fact]
    [Covers("System.Random::Next*")]
    public void Random_Next_on_one_instance_does_not_touch_another()
    {
        var arranged = new Random(1);
        var other = new Random(1);
        using (Trap.When(() => arranged.Next()).Returns(-1))
        using (Trap.When(() => arranged.Next(Arg.Any<int>())).Returns(-2))
        using (Trap.When(() => arranged.Next(Arg.Any<int>(), Arg.Any<int>())).Returns(-3))
        {
            Assert.Equal(-1, DefaultSetCalls.Next(arranged));
            Assert.Equal(-2, DefaultSetCalls.NextBelow(arranged, 10));
            Assert.Equal(-3, DefaultSetCalls.NextBetween(arranged, 5, 10));
            var reference = new Random(1);
            Assert.Equal(reference.Next(), DefaultSetCalls.Next(other));
            Assert.Equal(reference.Next(10), DefaultSetCalls.NextBelow(other, 10));
            Assert.Equal(reference.Next(5, 10), DefaultSetCalls.NextBetween(other, 5, 10));
        }
        var after = new Random(1);
        Assert.Equal(after.Next(), DefaultSetCalls.Next(arranged));
    }

    [Fact]
    [Covers("System.Random::Next*")]
    public void Random_NextInt64_NextDouble_NextSingle()
    {
        var arranged = new Random(1);
        using (Trap.When(() => arranged.NextInt64()).Returns(-1L))
        using (Trap.When(() => arranged.NextDouble()).Returns(2.5))
        using (Trap.When(() => arranged.NextSingle()).Returns(3.5f))
        {
            Assert.Equal(-1L, DefaultSetCalls.NextInt64(arranged));
            Assert.Equal(2.5, DefaultSetCalls.NextDouble(arranged));
            Assert.Equal(3.5f, DefaultSetCalls.NextSingle(arranged));
        }
        var real = new Random(1);
        var reference = new Random(1);
        Assert.Equal(reference.NextInt64(), DefaultSetCalls.NextInt64(real));
        Assert.Equal(reference.NextDouble(), DefaultSetCalls.NextDouble(real));
        Assert.Equal(reference.NextSingle(), DefaultSetCalls.NextSingle(real));
    }

    [Fact]
    [Covers("System.Random::Next*")]
    public void Random_NextBytes_into_an_array_and_a_span()
    {
        var arranged = new Random(1);
        using (Trap.When(() => arranged.NextBytes(Arg.Any<byte[]>())).Does(call => Array.Fill(call.Arg<byte[]>(0), (byte)9)))
        using (Trap.Patch<SpanFill>(arranged.NextBytes, buffer => buffer.Fill(8)))
        {
            Assert.Equal(new byte[] { 9, 9, 9 }, DefaultSetCalls.NextBytes(arranged, 3));
            Assert.Equal(new byte[] { 8, 8, 8 }, DefaultSetCalls.NextBytesSpan(arranged, 3));
        }
        var expected = new byte[16];
        new Random(2).NextBytes(expected);
        Assert.Equal(expected, DefaultSetCalls.NextBytes(new Random(2), 16));
        Assert.Equal(expected, DefaultSetCalls.NextBytesSpan(new Random(2), 16));
    }

    [Fact]
    [Covers("System.Random::Next*")]
    public void Random_Next_on_the_shared_instance()
    {
        // Random.Shared is a private subclass: the arrangement is on the override it runs.
        var shared = Random.Shared;
        using (Trap.When(() => shared.Next(100)).Returns(-1))
        {
            Assert.Equal(-1, DefaultSetCalls.SharedNext(100));
            Assert.Equal(-1, DefaultSetCalls.NextBelow(shared, 100));
            Assert.InRange(DefaultSetCalls.NextBelow(new Random(), 100), 0, 99);
        }
        Assert.InRange(DefaultSetCalls.SharedNext(100), 0, 99);
    }

    [Fact]
    [Covers("System.Security.Cryptography.RandomNumberGenerator::*")]
    public void RandomNumberGenerator_statics()
    {
        using (Trap.When(() => RandomNumberGenerator.GetInt32(Arg.Any<int>())).Returns(-1))
        using (Trap.When(() => RandomNumberGenerator.GetInt32(Arg.Any<int>(), Arg.Any<int>())).Returns(-2))
        using (Trap.When(() => RandomNumberGenerator.GetBytes(Arg.Any<int>())).Returns(new byte[] { 1, 2 }))
        using (Trap.When(() => RandomNumberGenerator.GetHexString(Arg.Any<int>(), Arg.Any<bool>())).Returns("C0FFEE"))
        using (Trap.Patch<SpanFill>(RandomNumberGenerator.Fill, buffer => buffer.Fill(7)))
        {
            Assert.Equal(-1, DefaultSetCalls.CryptoInt32(10));
            Assert.Equal(-2, DefaultSetCalls.CryptoInt32Between(5, 10));
            Assert.Equal(new byte[] { 1, 2 }, DefaultSetCalls.CryptoBytes(16));
            Assert.Equal("C0FFEE", DefaultSetCalls.CryptoHex(6));
            Assert.Equal(new byte[] { 7, 7, 7, 7 }, DefaultSetCalls.CryptoFill(4));
        }
        Assert.InRange(DefaultSetCalls.CryptoInt32(10), 0, 9);
        Assert.InRange(DefaultSetCalls.CryptoInt32Between(5, 10), 5, 9);
        Assert.Equal(16, DefaultSetCalls.CryptoBytes(16).Length);
        Assert.Matches("^[0-9A-F]{6}$", DefaultSetCalls.CryptoHex(6));
        Assert.Equal(4, DefaultSetCalls.CryptoFill(4).Length);
    }

    // ---- file system: File ----

    [Fact]
    [Covers("System.IO.File::*")]
    public void File_reads()
    {
        using var dir = new TempDirectory("default-set");
        var path = dir["real.txt"];
        File.WriteAllText(path, "real\nlines");
        var missing = dir["missing.txt"];
        using var opened = File.OpenRead(path);
        using (Trap.When(() => File.Exists(missing)).Returns(true))
        using (Trap.When(() => File.ReadAllText(missing)).Returns("fake"))
        using (Trap.When(() => File.ReadAllLines(missing)).Returns(new[] { "a", "b" }))
        using (Trap.When(() => File.ReadAllBytes(missing)).Returns(new byte[] { 1 }))
        using (Trap.When(() => File.OpenRead(missing)).Returns(opened))
        {
            Assert.True(DefaultSetCalls.FileExists(missing));
            Assert.Equal("fake", DefaultSetCalls.ReadAllText(missing));
            Assert.Equal(new[] { "a", "b" }, DefaultSetCalls.ReadAllLines(missing));
            Assert.Equal(new byte[] { 1 }, DefaultSetCalls.ReadAllBytes(missing));
            Assert.Same(opened, DefaultSetCalls.OpenRead(missing));
            // Arguments match by Equals: another path reads the disk.
            Assert.Equal("real\nlines", DefaultSetCalls.ReadAllText(path));
        }
        Assert.False(DefaultSetCalls.FileExists(missing));
        Assert.True(DefaultSetCalls.FileExists(path));
        Assert.Equal(new[] { "real", "lines" }, DefaultSetCalls.ReadAllLines(path));
        Assert.Equal(Encoding.UTF8.GetBytes("real\nlines"), DefaultSetCalls.ReadAllBytes(path));
        using (var stream = DefaultSetCalls.OpenRead(path))
            Assert.Equal('r', stream.ReadByte());
    }

    [Fact]
    [Covers("System.IO.File::*")]
    public void File_ReadAllText_intercepted_before_and_after()
    {
        using var dir = new TempDirectory("default-set");
        File.WriteAllText(dir["asked.txt"], "asked");
        File.WriteAllText(dir["other.txt"], "other");
        var read = typeof(File).GetMethod(nameof(File.ReadAllText), new[] { typeof(string) })!;
        using (Trap.Intercept(read,
                   before: call => call.Arguments[0] = dir["other.txt"],
                   after: call => call.Result = ((string)call.Result).ToUpperInvariant()))
            Assert.Equal("OTHER", DefaultSetCalls.ReadAllText(dir["asked.txt"]));
        Assert.Equal("asked", DefaultSetCalls.ReadAllText(dir["asked.txt"]));
    }

    [Fact]
    [Covers("System.IO.File::*")]
    public void File_WriteAllText_recorded_and_patched_touches_no_disk()
    {
        using var dir = new TempDirectory("default-set");
        var path = dir["written.txt"];
        using (Trap.When(() => File.WriteAllText(Arg.Any<string>(), Arg.Any<string>())).DoesNothing())
        using (var writes = Trap.Record<Action<string, string>>(File.WriteAllText))
        {
            DefaultSetCalls.WriteAllText(path, "hello");
            DefaultSetCalls.WriteAllText(path, "again");
            Assert.Equal(new[] { "hello", "again" }, writes.Calls.Select(c => (string)c.Arguments[1]));
            Assert.All(writes.Calls, c => Assert.Equal(path, c.Arguments[0]));
        }
        Assert.False(File.Exists(path));
    }

    [Fact]
    [Covers("System.IO.File::*")]
    public void File_WriteAllText_recorded_while_it_writes()
    {
        using var dir = new TempDirectory("default-set");
        var path = dir["written.txt"];
        using (var writes = Trap.Record<Action<string, string>>(File.WriteAllText))
        {
            DefaultSetCalls.WriteAllText(path, "hello");
            Assert.Equal(new object[] { path, "hello" }, writes.Calls.Single().Arguments);
            Assert.True(writes.Calls.Single().Completed);
        }
        Assert.Equal("hello", File.ReadAllText(path));
    }

    [Fact]
    [Covers("System.IO.File::*")]
    public void File_writes_deletes_copies_and_moves()
    {
        using var dir = new TempDirectory("default-set");
        var path = dir["a.txt"];
        File.WriteAllText(path, "a");
        using (Trap.When(() => File.AppendAllText(path, Arg.Any<string>())).DoesNothing())
        using (Trap.When(() => File.Delete(path)).DoesNothing())
        using (Trap.When(() => File.Copy(path, Arg.Any<string>())).DoesNothing())
        using (Trap.When(() => File.Move(path, Arg.Any<string>())).DoesNothing())
        {
            DefaultSetCalls.AppendAllText(path, "b");
            DefaultSetCalls.Delete(path);
            DefaultSetCalls.Copy(path, dir["copy.txt"]);
            DefaultSetCalls.Move(path, dir["moved.txt"]);
        }
        Assert.Equal(new[] { "a.txt" }, dir.Listing());
        Assert.Equal("a", File.ReadAllText(path));

        DefaultSetCalls.AppendAllText(path, "b");
        DefaultSetCalls.Copy(path, dir["copy.txt"]);
        DefaultSetCalls.Move(path, dir["moved.txt"]);
        DefaultSetCalls.Delete(dir["copy.txt"]);
        Assert.Equal(new[] { "moved.txt" }, dir.Listing());
        Assert.Equal("ab", File.ReadAllText(dir["moved.txt"]));
    }

    [Fact]
    [Covers("System.IO.File::*")]
    public async Task File_async_members_in_async_code()
    {
        using var dir = new TempDirectory("default-set");
        var path = dir["async.txt"];
        using (Trap.When(() => File.ReadAllTextAsync(path, Arg.Any<CancellationToken>())).Returns(Task.FromResult("fake")))
        using (Trap.When(() => File.WriteAllTextAsync(path, Arg.Any<string>(), Arg.Any<CancellationToken>())).Returns(Task.CompletedTask))
        {
            await DefaultSetCalls.WriteAllTextAsync(path, "real");
            Assert.False(File.Exists(path));
            Assert.Equal("fake", await DefaultSetCalls.ReadAllTextAsync(path));
        }
        await DefaultSetCalls.WriteAllTextAsync(path, "real");
        Assert.Equal("real", await DefaultSetCalls.ReadAllTextAsync(path));
    }

    // ---- file system: Directory ----

    [Fact]
    [Covers("System.IO.Directory::*")]
    public void Directory_members()
    {
        using var dir = new TempDirectory("default-set");
        File.WriteAllText(dir["one.txt"], "1");
        Directory.CreateDirectory(dir["sub"]);
        var missing = dir["missing"];
        var fakeInfo = new DirectoryInfo(dir["fake"]);
        using (Trap.When(() => Directory.Exists(missing)).Returns(true))
        using (Trap.When(() => Directory.CreateDirectory(missing)).Returns(fakeInfo))
        using (Trap.When(() => Directory.GetFiles(missing)).Returns(new[] { "x" }))
        using (Trap.When(() => Directory.GetFiles(missing, "*.txt")).Returns(new[] { "y.txt" }))
        using (Trap.When(() => Directory.GetDirectories(missing)).Returns(new[] { "z" }))
        using (Trap.When(() => Directory.Delete(dir.Path, Arg.Any<bool>())).DoesNothing())
        using (Trap.When(() => Directory.GetCurrentDirectory()).Returns("/fake/current"))
        {
            Assert.True(DefaultSetCalls.DirectoryExists(missing));
            Assert.Same(fakeInfo, DefaultSetCalls.CreateDirectory(missing));
            Assert.Equal(new[] { "x" }, DefaultSetCalls.GetFiles(missing));
            Assert.Equal(new[] { "y.txt" }, DefaultSetCalls.GetFilesMatching(missing, "*.txt"));
            Assert.Equal(new[] { "z" }, DefaultSetCalls.GetDirectories(missing));
            DefaultSetCalls.DeleteDirectory(dir.Path, recursive: true);
            Assert.Equal("/fake/current", DefaultSetCalls.CurrentDirectory());
        }
        Assert.True(Directory.Exists(dir.Path));
        Assert.False(Directory.Exists(missing));
        Assert.False(DefaultSetCalls.DirectoryExists(missing));
        Assert.Equal(Directory.GetCurrentDirectory(), DefaultSetCalls.CurrentDirectory());
        Assert.Equal(new[] { dir["one.txt"] }, DefaultSetCalls.GetFiles(dir.Path));
        Assert.Equal(new[] { dir["sub"] }, DefaultSetCalls.GetDirectories(dir.Path));
        Assert.True(DefaultSetCalls.CreateDirectory(missing).Exists);
        Assert.True(DefaultSetCalls.DirectoryExists(missing));
        DefaultSetCalls.DeleteDirectory(missing, recursive: false);
        Assert.False(Directory.Exists(missing));
    }

    // ---- file system: FileInfo, DirectoryInfo, FileSystemInfo ----

    [Fact]
    [Covers("System.IO.FileSystemInfo::*")]
    public void FileSystemInfo_members_on_one_instance_do_not_touch_another()
    {
        using var dir = new TempDirectory("default-set");
        var path = dir["info.txt"];
        File.WriteAllText(path, "info");
        var arranged = new FileInfo(path);
        var other = new FileInfo(path);
        using (Trap.When(() => arranged.Exists).Returns(false))
        using (Trap.When(() => arranged.FullName).Returns("/fake/info.txt"))
        using (Trap.When(() => arranged.Delete()).DoesNothing())
        {
            Assert.False(DefaultSetCalls.InfoExists(arranged));
            Assert.True(DefaultSetCalls.InfoExists(other));
            Assert.Equal("/fake/info.txt", DefaultSetCalls.InfoFullName(arranged));
            Assert.Equal(path, DefaultSetCalls.InfoFullName(other));
            DefaultSetCalls.InfoDelete(arranged);
            Assert.True(File.Exists(path));
        }
        Assert.True(DefaultSetCalls.InfoExists(arranged));
        DefaultSetCalls.InfoDelete(other);
        Assert.False(File.Exists(path));
    }

    [Fact]
    [Covers("System.IO.FileSystemInfo::*")]
    public void FileSystemInfo_members_of_a_DirectoryInfo()
    {
        using var dir = new TempDirectory("default-set");
        var arranged = new DirectoryInfo(dir.Path);
        using (Trap.When(() => arranged.Exists).Returns(false))
        using (Trap.When(() => arranged.Name).Returns("fake"))
        using (Trap.When(() => arranged.FullName).Returns("/fake"))
        {
            Assert.False(DefaultSetCalls.DirectoryInfoExists(arranged));
            Assert.Equal("fake", DefaultSetCalls.DirectoryInfoName(arranged));
            Assert.Equal("/fake", DefaultSetCalls.InfoFullName(arranged));
            Assert.True(DefaultSetCalls.DirectoryInfoExists(new DirectoryInfo(dir.Path)));
        }
        Assert.True(DefaultSetCalls.DirectoryInfoExists(arranged));
        Assert.Equal(Path.GetFileName(dir.Path), DefaultSetCalls.DirectoryInfoName(arranged));
    }

    [Fact]
    [Covers("System.IO.FileInfo::*")]
    public void FileInfo_constructor_can_return_a_substitute()
    {
        using var dir = new TempDirectory("default-set");
        var substitute = new FileInfo(dir["substitute.txt"]);
        using (Trap.When(() => new FileInfo(Arg.Any<string>())).Returns(substitute))
            Assert.Same(substitute, DefaultSetCalls.NewFileInfo(dir["asked.txt"]));
        Assert.Equal(dir["asked.txt"], DefaultSetCalls.NewFileInfo(dir["asked.txt"]).FullName);
    }

    [Fact]
    [Covers("System.IO.FileInfo::*")]
    public void FileInfo_members_on_one_instance()
    {
        using var dir = new TempDirectory("default-set");
        var path = dir["info.txt"];
        File.WriteAllText(path, "content");
        var arranged = new FileInfo(path);
        var other = new FileInfo(path);
        var elsewhere = new DirectoryInfo(dir["elsewhere"]);
        using (Trap.When(() => arranged.Length).Returns(1000L))
        using (Trap.When(() => arranged.OpenText()).Returns(new StreamReader(new MemoryStream(Encoding.UTF8.GetBytes("fake")))))
        using (Trap.When(() => arranged.Directory).Returns(elsewhere))
        {
            Assert.Equal(1000L, DefaultSetCalls.InfoLength(arranged));
            Assert.Equal("fake", DefaultSetCalls.InfoReadToEnd(arranged));
            Assert.Same(elsewhere, DefaultSetCalls.InfoDirectory(arranged));
            Assert.Equal(7L, DefaultSetCalls.InfoLength(other));
            Assert.Equal("content", DefaultSetCalls.InfoReadToEnd(other));
        }
        Assert.Equal(7L, DefaultSetCalls.InfoLength(arranged));
        Assert.Equal("content", DefaultSetCalls.InfoReadToEnd(arranged));
        Assert.Equal(dir.Path, DefaultSetCalls.InfoDirectory(arranged).FullName);
    }

    [Fact]
    [Covers("System.IO.DirectoryInfo::*")]
    public void DirectoryInfo_members()
    {
        using var dir = new TempDirectory("default-set");
        File.WriteAllText(dir["one.txt"], "1");
        var substitute = new DirectoryInfo(dir.Path);
        using (Trap.When(() => new DirectoryInfo(Arg.Any<string>())).Returns(substitute))
            Assert.Same(substitute, DefaultSetCalls.NewDirectoryInfo(dir["asked"]));

        var arranged = new DirectoryInfo(dir["new"]);
        var fakeFiles = new[] { new FileInfo(dir["fake.txt"]) };
        using (Trap.When(() => arranged.Create()).DoesNothing())
        using (Trap.When(() => substitute.GetFiles()).Returns(fakeFiles))
        {
            DefaultSetCalls.DirectoryInfoCreate(arranged);
            Assert.False(Directory.Exists(dir["new"]));
            Assert.Same(fakeFiles, DefaultSetCalls.DirectoryInfoFiles(substitute));
            Assert.Equal(new[] { dir["one.txt"] }, DefaultSetCalls.DirectoryInfoFiles(new DirectoryInfo(dir.Path)).Select(f => f.FullName));
        }
        DefaultSetCalls.DirectoryInfoCreate(arranged);
        Assert.True(Directory.Exists(dir["new"]));
        Assert.Equal(dir["asked"], DefaultSetCalls.NewDirectoryInfo(dir["asked"]).FullName);
    }

    // ---- file system: Path ----

    [Fact]
    [Covers("System.IO.Path::GetTempPath")]
    public void Path_GetTempPath()
    {
        using (Trap.When(() => Path.GetTempPath()).Returns("/fake/tmp/"))
            Assert.Equal("/fake/tmp/", DefaultSetCalls.TempPath());
        Assert.Equal(Path.GetTempPath(), DefaultSetCalls.TempPath());
    }

    [Fact]
    [Covers("System.IO.Path::GetTempFileName")]
    public void Path_GetTempFileName()
    {
        using (Trap.When(() => Path.GetTempFileName()).Returns("/fake/tmp/file.tmp"))
            Assert.Equal("/fake/tmp/file.tmp", DefaultSetCalls.TempFileName());
        var real = DefaultSetCalls.TempFileName();
        try
        {
            Assert.True(File.Exists(real));
            Assert.StartsWith(Path.GetTempPath(), real);
        }
        finally
        {
            File.Delete(real);
        }
    }

    // ---- delays ----

    [Fact]
    [Covers("System.Threading.Tasks.Task::Delay")]
    public async Task Task_Delay_of_a_day_completes_at_once_when_arranged()
    {
        var day = TimeSpan.FromDays(1);
        using (Trap.When(() => Task.Delay(day)).Returns(Task.CompletedTask))
        using (Trap.When(() => Task.Delay(Arg.Any<int>(), Arg.Any<CancellationToken>())).Returns(Task.CompletedTask))
        using (Trap.When(() => DateTime.Now).Returns(FixedTime))
        {
            FixtureArming.AssertArmed(typeof(Task).GetMethod(nameof(Task.Delay), new[] { typeof(TimeSpan) })!);
            Assert.True(DefaultSetCalls.Delay(day).IsCompletedSuccessfully);
            Assert.True(DefaultSetCalls.DelayMilliseconds(int.MaxValue, CancellationToken.None).IsCompletedSuccessfully);
            // In an async method: the awaited delay and the clock after it.
            Assert.Equal(FixedTime, await DefaultSetCalls.NowAfterDelay(day));
        }
        Assert.True(DefaultSetCalls.Delay(TimeSpan.Zero).IsCompletedSuccessfully);
        Assert.True(DefaultSetCalls.DelayMilliseconds(Timeout.Infinite, new CancellationToken(canceled: true)).IsCanceled);
    }

    [Fact]
    [Covers("System.Threading.Thread::Sleep")]
    public void Thread_Sleep_forever_returns_at_once_when_arranged()
    {
        var slept = new List<object>();
        using (Trap.When(() => Thread.Sleep(Arg.Any<int>())).Does(call => slept.Add(call.Arguments[0])))
        using (Trap.When(() => Thread.Sleep(Arg.Any<TimeSpan>())).Does(call => slept.Add(call.Arguments[0])))
        {
            FixtureArming.AssertArmed(typeof(Thread).GetMethod(nameof(Thread.Sleep), new[] { typeof(int) })!);
            FixtureArming.AssertArmed(typeof(Thread).GetMethod(nameof(Thread.Sleep), new[] { typeof(TimeSpan) })!);
            DefaultSetCalls.Sleep(Timeout.Infinite);
            DefaultSetCalls.SleepFor(Timeout.InfiniteTimeSpan);
        }
        Assert.Equal(new object[] { Timeout.Infinite, Timeout.InfiniteTimeSpan }, slept);
        DefaultSetCalls.Sleep(0);
        DefaultSetCalls.SleepFor(TimeSpan.Zero);
    }

    // ---- processes and console input (arranged only) ----

    [Fact]
    [Covers("System.Diagnostics.Process::Start")]
    public void Process_Start_static_and_instance_are_arranged_only()
    {
        var fake = new Process();
        var started = new List<string>();
        using (Trap.When(() => Process.Start(Arg.Any<string>(), Arg.Any<string>())).Returns((string file, string args) =>
               {
                   started.Add(file + " " + args);
                   return fake;
               }))
        using (Trap.When(() => Process.Start(Arg.Any<ProcessStartInfo>())).Returns(fake))
        using (Trap.When(() => fake.Start()).Returns(true))
        {
            FixtureArming.AssertArmed(typeof(Process).GetMethod(nameof(Process.Start), new[] { typeof(string), typeof(string) })!);
            FixtureArming.AssertArmed(typeof(Process).GetMethod(nameof(Process.Start), new[] { typeof(ProcessStartInfo) })!);
            FixtureArming.AssertArmed(typeof(Process).GetMethod(nameof(Process.Start), Type.EmptyTypes)!);
            Assert.Same(fake, DefaultSetCalls.StartProcess("rm", "-rf /"));
            Assert.Same(fake, DefaultSetCalls.StartProcessInfo(new ProcessStartInfo("shutdown")));
            Assert.True(DefaultSetCalls.StartInstance(fake));
        }
        Assert.Equal(new[] { "rm -rf /" }, started);
    }

    [Fact]
    [Covers("System.Console::ReadLine")]
    public void Console_ReadLine_is_arranged_only()
    {
        using (Trap.When(() => Console.ReadLine()).Returns("typed"))
        {
            FixtureArming.AssertArmed(typeof(Console).GetMethod(nameof(Console.ReadLine))!);
            Assert.Equal("typed", DefaultSetCalls.ReadLine());
        }
    }

    [Fact]
    [Covers("System.Console::ReadKey")]
    public void Console_ReadKey_is_arranged_only()
    {
        var y = new ConsoleKeyInfo('y', ConsoleKey.Y, false, false, false);
        var n = new ConsoleKeyInfo('n', ConsoleKey.N, false, false, false);
        using (Trap.When(() => Console.ReadKey()).Returns(y))
        using (Trap.When(() => Console.ReadKey(true)).Returns(n))
        {
            FixtureArming.AssertArmed(typeof(Console).GetMethod(nameof(Console.ReadKey), Type.EmptyTypes)!);
            FixtureArming.AssertArmed(typeof(Console).GetMethod(nameof(Console.ReadKey), new[] { typeof(bool) })!);
            Assert.Equal(y, DefaultSetCalls.ReadKey());
            Assert.Equal(n, DefaultSetCalls.ReadKeyHidden());
        }
    }

    // ---- HTTP (every client sends to an in-process handler: no network either way) ----

    [Fact]
    [Covers("System.Net.Http.HttpClient::.ctor")]
    public async Task HttpClient_constructor_returns_the_fake_client()
    {
        var handler = new ReplyHandler("from the fake");
        using var fake = new HttpClient(handler) { BaseAddress = new Uri("http://fake.invalid/") };
        using (Trap.When(() => new HttpClient()).Returns(fake))
        {
            Assert.Same(fake, DefaultSetCalls.NewHttpClient());
            // new HttpClient() inside an async method, then GetStringAsync on it.
            Assert.Equal("from the fake", await DefaultSetCalls.FetchText("http://example.invalid/page"));
        }
        Assert.Equal("http://example.invalid/page", handler.Requests.Single().RequestUri!.ToString());
        using var real = DefaultSetCalls.NewHttpClient();
        Assert.NotSame(fake, real);
        Assert.Null(real.BaseAddress);
    }

    [Fact]
    [Covers("System.Net.Http.HttpClient::.ctor")]
    public void HttpClient_constructor_with_a_handler()
    {
        using var fake = new HttpClient(new ReplyHandler("fake"));
        using (Trap.When(() => new HttpClient(Arg.Any<HttpMessageHandler>())).Returns(fake))
            Assert.Same(fake, DefaultSetCalls.NewHttpClientWith(new ReplyHandler("ignored")));
        using var real = DefaultSetCalls.NewHttpClientWith(new ReplyHandler("real"));
        Assert.NotSame(fake, real);
    }

    [Fact]
    [Covers("System.Net.Http.HttpClient::Send*")]
    public async Task HttpClient_Send_and_SendAsync_on_one_client()
    {
        using var arranged = new HttpClient(new ReplyHandler("real"));
        using var other = new HttpClient(new ReplyHandler("other"));
        var canned = new HttpResponseMessage(System.Net.HttpStatusCode.NonAuthoritativeInformation);
        using (Trap.When(() => arranged.Send(Arg.Any<HttpRequestMessage>())).Returns(canned))
        using (Trap.When(() => arranged.SendAsync(Arg.Any<HttpRequestMessage>())).Returns(Task.FromResult(canned)))
        {
            Assert.Same(canned, DefaultSetCalls.Send(arranged, Request()));
            Assert.Same(canned, await DefaultSetCalls.SendAsync(arranged, Request()));
            Assert.Equal("other", await DefaultSetCalls.Send(other, Request()).Content.ReadAsStringAsync());
            Assert.Equal("other", await (await DefaultSetCalls.SendAsync(other, Request())).Content.ReadAsStringAsync());
        }
        Assert.Equal("real", await DefaultSetCalls.Send(arranged, Request()).Content.ReadAsStringAsync());
    }

    [Fact]
    [Covers("System.Net.Http.HttpMessageInvoker::Send*")]
    public async Task HttpClient_Send_overrides_with_a_cancellation_token()
    {
        using var arranged = new HttpClient(new ReplyHandler("real"));
        using var other = new HttpClient(new ReplyHandler("other"));
        var canned = new HttpResponseMessage(System.Net.HttpStatusCode.NonAuthoritativeInformation);
        using (Trap.When(() => arranged.Send(Arg.Any<HttpRequestMessage>(), Arg.Any<CancellationToken>())).Returns(canned))
        using (Trap.When(() => arranged.SendAsync(Arg.Any<HttpRequestMessage>(), Arg.Any<CancellationToken>())).Returns(Task.FromResult(canned)))
        {
            Assert.Same(canned, DefaultSetCalls.SendCancellable(arranged, Request(), CancellationToken.None));
            Assert.Same(canned, await DefaultSetCalls.SendAsyncCancellable(arranged, Request(), CancellationToken.None));
            Assert.Equal("other", await DefaultSetCalls.SendCancellable(other, Request(), CancellationToken.None).Content.ReadAsStringAsync());
        }
        var response = await DefaultSetCalls.SendAsyncCancellable(arranged, Request(), CancellationToken.None);
        Assert.Equal("real", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    [Covers("System.Net.Http.HttpClient::Get*Async")]
    public async Task HttpClient_Get_members()
    {
        using var arranged = new HttpClient(new ReplyHandler("real"));
        var canned = new HttpResponseMessage(System.Net.HttpStatusCode.NonAuthoritativeInformation);
        using (Trap.When(() => arranged.GetStringAsync(Arg.Any<string>())).Returns(Task.FromResult("fake")))
        using (Trap.When(() => arranged.GetAsync(Arg.Any<string>())).Returns(Task.FromResult(canned)))
        using (Trap.When(() => arranged.GetByteArrayAsync(Arg.Any<string>())).Returns(Task.FromResult(new byte[] { 1 })))
        using (Trap.When(() => arranged.GetStreamAsync(Arg.Any<string>())).Returns(Task.FromResult<Stream>(new MemoryStream(new byte[] { 2 }))))
        {
            Assert.Equal("fake", await DefaultSetCalls.GetStringAsync(arranged, Url));
            Assert.Same(canned, await DefaultSetCalls.GetAsync(arranged, Url));
            Assert.Equal(new byte[] { 1 }, await DefaultSetCalls.GetByteArrayAsync(arranged, Url));
            Assert.Equal(2, (await DefaultSetCalls.GetStreamAsync(arranged, Url)).ReadByte());
        }
        Assert.Equal("real", await DefaultSetCalls.GetStringAsync(arranged, Url));
        Assert.Equal("real", await (await DefaultSetCalls.GetAsync(arranged, Url)).Content.ReadAsStringAsync());
        Assert.Equal(Encoding.UTF8.GetBytes("real"), await DefaultSetCalls.GetByteArrayAsync(arranged, Url));
        Assert.Equal('r', (await DefaultSetCalls.GetStreamAsync(arranged, Url)).ReadByte());
    }

    [Fact]
    [Covers("System.Net.Http.HttpClient::Post*Async")]
    public async Task HttpClient_PostAsync()
    {
        using var arranged = new HttpClient(new ReplyHandler("real"));
        var canned = new HttpResponseMessage(System.Net.HttpStatusCode.Created);
        var posted = new List<string>();
        using (Trap.When(() => arranged.PostAsync(Arg.Any<string>(), Arg.Any<HttpContent>())).Returns((string url, HttpContent content) =>
               {
                   posted.Add(url + " " + content.ReadAsStringAsync().Result);
                   return Task.FromResult(canned);
               }))
            Assert.Same(canned, await DefaultSetCalls.PostAsync(arranged, Url, new StringContent("body")));
        Assert.Equal(new[] { Url + " body" }, posted);
        Assert.Equal("real", await (await DefaultSetCalls.PostAsync(arranged, Url, new StringContent("body"))).Content.ReadAsStringAsync());
    }

    [Fact]
    [Covers("System.Net.Http.HttpClient::Put*Async")]
    public async Task HttpClient_PutAsync()
    {
        using var arranged = new HttpClient(new ReplyHandler("real"));
        var canned = new HttpResponseMessage(System.Net.HttpStatusCode.Accepted);
        using (Trap.When(() => arranged.PutAsync(Arg.Any<string>(), Arg.Any<HttpContent>())).Returns(Task.FromResult(canned)))
            Assert.Same(canned, await DefaultSetCalls.PutAsync(arranged, Url, new StringContent("body")));
        Assert.Equal("real", await (await DefaultSetCalls.PutAsync(arranged, Url, new StringContent("body"))).Content.ReadAsStringAsync());
    }

    [Fact]
    [Covers("System.Net.Http.HttpClient::Patch*Async")]
    public async Task HttpClient_PatchAsync()
    {
        using var arranged = new HttpClient(new ReplyHandler("real"));
        var canned = new HttpResponseMessage(System.Net.HttpStatusCode.Accepted);
        using (Trap.When(() => arranged.PatchAsync(Arg.Any<string>(), Arg.Any<HttpContent>())).Returns(Task.FromResult(canned)))
            Assert.Same(canned, await DefaultSetCalls.PatchAsync(arranged, Url, new StringContent("body")));
        Assert.Equal("real", await (await DefaultSetCalls.PatchAsync(arranged, Url, new StringContent("body"))).Content.ReadAsStringAsync());
    }

    [Fact]
    [Covers("System.Net.Http.HttpClient::Delete*Async")]
    public async Task HttpClient_DeleteAsync()
    {
        using var arranged = new HttpClient(new ReplyHandler("real"));
        var canned = new HttpResponseMessage(System.Net.HttpStatusCode.NoContent);
        using (Trap.When(() => arranged.DeleteAsync(Arg.Any<string>())).Returns(Task.FromResult(canned)))
            Assert.Same(canned, await DefaultSetCalls.DeleteAsync(arranged, Url));
        Assert.Equal("real", await (await DefaultSetCalls.DeleteAsync(arranged, Url)).Content.ReadAsStringAsync());
    }

    const string Url = "http://example.invalid/resource";

    static HttpRequestMessage Request() => new(HttpMethod.Get, Url);

    static string UniqueVariable() => "TRAPWEAVE_DEFAULT_SET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
}
