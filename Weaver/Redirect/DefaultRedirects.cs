using System.Collections.Generic;

namespace Trapweave.Fody.Redirect;

/// <summary>
/// The members redirected without configuration: the usual sources of nondeterminism and side
/// effects (clock, environment, randomness, file system, delays, processes, console input, HTTP).
/// README's table is generated from the same list (and checked against it by a test).
/// </summary>
public static class DefaultRedirects
{
    /// <summary>Patterns over <c>Namespace.Type::Member</c>, each with what it covers, in README's order.</summary>
    public static readonly IReadOnlyList<(string Pattern, string Covers)> Entries = new[]
    {
        ("System.DateTime::get_Now", "`DateTime.Now`"),
        ("System.DateTime::get_UtcNow", "`DateTime.UtcNow`"),
        ("System.DateTime::get_Today", "`DateTime.Today`"),
        ("System.DateTimeOffset::get_Now", "`DateTimeOffset.Now`"),
        ("System.DateTimeOffset::get_UtcNow", "`DateTimeOffset.UtcNow`"),
        ("System.TimeProvider::get_System", "`TimeProvider.System`"),
        ("System.TimeProvider::GetUtcNow", "`TimeProvider.GetUtcNow()`"),
        ("System.TimeProvider::GetLocalNow", "`TimeProvider.GetLocalNow()`"),
        ("System.TimeProvider::GetTimestamp", "`TimeProvider.GetTimestamp()`"),
        ("System.Diagnostics.Stopwatch::GetTimestamp", "`Stopwatch.GetTimestamp()`"),
        ("System.Diagnostics.Stopwatch::StartNew", "`Stopwatch.StartNew()`"),
        ("System.Environment::get_TickCount", "`Environment.TickCount`"),
        ("System.Environment::get_TickCount64", "`Environment.TickCount64`"),
        ("System.Environment::GetEnvironmentVariable", "`Environment.GetEnvironmentVariable(...)`"),
        ("System.Environment::GetEnvironmentVariables", "`Environment.GetEnvironmentVariables(...)`"),
        ("System.Environment::SetEnvironmentVariable", "`Environment.SetEnvironmentVariable(...)`"),
        ("System.Environment::get_MachineName", "`Environment.MachineName`"),
        ("System.Environment::get_UserName", "`Environment.UserName`"),
        ("System.Environment::Exit", "`Environment.Exit(int)`"),
        ("System.Guid::NewGuid", "`Guid.NewGuid()`"),
        ("System.Guid::CreateVersion7", "`Guid.CreateVersion7(...)`"),
        ("System.Random::.ctor", "`new Random(...)`"),
        ("System.Random::get_Shared", "`Random.Shared`"),
        ("System.Random::Next*", "`Random.Next`, `NextInt64`, `NextDouble`, `NextSingle`, `NextBytes`"),
        ("System.Security.Cryptography.RandomNumberGenerator::*", "every member of `RandomNumberGenerator` (`GetInt32`, `GetBytes`, `Fill`, `GetHexString`, ...)"),
        ("System.IO.File::*", "every member of `File`"),
        ("System.IO.Directory::*", "every member of `Directory`"),
        ("System.IO.FileSystemInfo::*", "members `FileInfo` and `DirectoryInfo` inherit (`Exists`, `FullName`, `Delete`, ...)"),
        ("System.IO.FileInfo::*", "every member of `FileInfo`, constructors included"),
        ("System.IO.DirectoryInfo::*", "every member of `DirectoryInfo`, constructors included"),
        ("System.IO.Path::GetTempPath", "`Path.GetTempPath()`"),
        ("System.IO.Path::GetTempFileName", "`Path.GetTempFileName()`"),
        ("System.Threading.Tasks.Task::Delay", "`Task.Delay(...)`"),
        ("System.Threading.Thread::Sleep", "`Thread.Sleep(...)`"),
        ("System.Diagnostics.Process::Start", "`Process.Start(...)`, static and instance"),
        ("System.Console::ReadLine", "`Console.ReadLine()`"),
        ("System.Console::ReadKey", "`Console.ReadKey(...)`"),
        ("System.Net.Http.HttpClient::.ctor", "`new HttpClient(...)`"),
        ("System.Net.Http.HttpClient::Send*", "`HttpClient.Send`, `SendAsync`"),
        ("System.Net.Http.HttpMessageInvoker::Send*", "`Send`/`SendAsync(request, cancellationToken)`, which `HttpClient` overrides"),
        ("System.Net.Http.HttpClient::Get*Async", "`GetAsync`, `GetStringAsync`, `GetByteArrayAsync`, `GetStreamAsync`"),
        ("System.Net.Http.HttpClient::Post*Async", "`PostAsync`"),
        ("System.Net.Http.HttpClient::Put*Async", "`PutAsync`"),
        ("System.Net.Http.HttpClient::Patch*Async", "`PatchAsync`"),
        ("System.Net.Http.HttpClient::Delete*Async", "`DeleteAsync`"),
    };
}
