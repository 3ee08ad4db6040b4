using System;
using System.Collections;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace Fixtures.Redirects;

/// <summary>
/// One call per member of the default redirect set (no Redirect configuration needed), written as
/// user code writes it. Each method is a woven caller the tests arrange the member through.
/// </summary>
public static class DefaultSetCalls
{
    // clock
    public static DateTime Now() => DateTime.Now;
    public static DateTime UtcNow() => DateTime.UtcNow;
    public static DateTime Today() => DateTime.Today;
    public static DateTimeOffset OffsetNow() => DateTimeOffset.Now;
    public static DateTimeOffset OffsetUtcNow() => DateTimeOffset.UtcNow;
    public static TimeProvider SystemTimeProvider() => TimeProvider.System;
    public static DateTimeOffset SystemUtcNow() => TimeProvider.System.GetUtcNow();
    public static DateTimeOffset ProviderUtcNow(TimeProvider provider) => provider.GetUtcNow();
    public static DateTimeOffset ProviderLocalNow(TimeProvider provider) => provider.GetLocalNow();
    public static long ProviderTimestamp(TimeProvider provider) => provider.GetTimestamp();
    public static long StopwatchTimestamp() => Stopwatch.GetTimestamp();
    public static Stopwatch StartStopwatch() => Stopwatch.StartNew();

    // environment
    public static int TickCount() => Environment.TickCount;
    public static long TickCount64() => Environment.TickCount64;
    public static string GetVariable(string name) => Environment.GetEnvironmentVariable(name);
    public static string GetProcessVariable(string name) => Environment.GetEnvironmentVariable(name, EnvironmentVariableTarget.Process);
    public static IDictionary GetVariables() => Environment.GetEnvironmentVariables();
    public static void SetVariable(string name, string value) => Environment.SetEnvironmentVariable(name, value);
    public static string MachineName() => Environment.MachineName;
    public static string UserName() => Environment.UserName;
    public static void Exit(int code) => Environment.Exit(code);

    // identifiers and randomness
    public static Guid NewGuid() => Guid.NewGuid();
#if NET9_0_OR_GREATER
    // Guid.CreateVersion7 is new in .NET 9: on net8.0 its entry has no caller and its test is skipped.
    public static Guid NewVersion7() => Guid.CreateVersion7();
    public static Guid NewVersion7At(DateTimeOffset time) => Guid.CreateVersion7(time);
#endif
    public static Random NewRandom() => new Random();
    public static Random NewSeededRandom(int seed) => new Random(seed);
    public static Random SharedRandom() => Random.Shared;
    public static int SharedNext(int max) => Random.Shared.Next(max);
    public static int Next(Random random) => random.Next();
    public static int NextBelow(Random random, int max) => random.Next(max);
    public static int NextBetween(Random random, int min, int max) => random.Next(min, max);
    public static long NextInt64(Random random) => random.NextInt64();
    public static double NextDouble(Random random) => random.NextDouble();
    public static float NextSingle(Random random) => random.NextSingle();
    public static byte[] NextBytes(Random random, int count)
    {
        var buffer = new byte[count];
        random.NextBytes(buffer);
        return buffer;
    }
    public static byte[] NextBytesSpan(Random random, int count)
    {
        Span<byte> buffer = stackalloc byte[count];
        random.NextBytes(buffer);
        return buffer.ToArray();
    }
    public static int CryptoInt32(int max) => RandomNumberGenerator.GetInt32(max);
    public static int CryptoInt32Between(int min, int max) => RandomNumberGenerator.GetInt32(min, max);
    public static byte[] CryptoBytes(int count) => RandomNumberGenerator.GetBytes(count);
    public static byte[] CryptoFill(int count)
    {
        var buffer = new byte[count];
        RandomNumberGenerator.Fill(buffer);
        return buffer;
    }
    public static string CryptoHex(int length) => RandomNumberGenerator.GetHexString(length);

    // file system: File
    public static bool FileExists(string path) => File.Exists(path);
    public static string ReadAllText(string path) => File.ReadAllText(path);
    public static void WriteAllText(string path, string text) => File.WriteAllText(path, text);
    public static string[] ReadAllLines(string path) => File.ReadAllLines(path);
    public static void AppendAllText(string path, string text) => File.AppendAllText(path, text);
    public static byte[] ReadAllBytes(string path) => File.ReadAllBytes(path);
    public static void Delete(string path) => File.Delete(path);
    public static void Copy(string from, string to) => File.Copy(from, to);
    public static void Move(string from, string to) => File.Move(from, to);
    public static Stream OpenRead(string path) => File.OpenRead(path);
    public static async Task<string> ReadAllTextAsync(string path) => await File.ReadAllTextAsync(path);
    public static Task WriteAllTextAsync(string path, string text) => File.WriteAllTextAsync(path, text);

    // file system: Directory
    public static bool DirectoryExists(string path) => Directory.Exists(path);
    public static DirectoryInfo CreateDirectory(string path) => Directory.CreateDirectory(path);
    public static string[] GetFiles(string path) => Directory.GetFiles(path);
    public static string[] GetFilesMatching(string path, string pattern) => Directory.GetFiles(path, pattern);
    public static string[] GetDirectories(string path) => Directory.GetDirectories(path);
    public static void DeleteDirectory(string path, bool recursive) => Directory.Delete(path, recursive);
    public static string CurrentDirectory() => Directory.GetCurrentDirectory();

    // file system: FileInfo, DirectoryInfo and what they inherit from FileSystemInfo
    public static FileInfo NewFileInfo(string path) => new FileInfo(path);
    public static bool InfoExists(FileInfo file) => file.Exists;
    public static string InfoFullName(FileSystemInfo info) => info.FullName;
    public static void InfoDelete(FileInfo file) => file.Delete();
    public static long InfoLength(FileInfo file) => file.Length;
    public static string InfoReadToEnd(FileInfo file)
    {
        using var reader = file.OpenText();
        return reader.ReadToEnd();
    }
    public static DirectoryInfo InfoDirectory(FileInfo file) => file.Directory;
    public static DirectoryInfo NewDirectoryInfo(string path) => new DirectoryInfo(path);
    public static bool DirectoryInfoExists(DirectoryInfo directory) => directory.Exists;
    public static void DirectoryInfoCreate(DirectoryInfo directory) => directory.Create();
    public static FileInfo[] DirectoryInfoFiles(DirectoryInfo directory) => directory.GetFiles();
    public static string DirectoryInfoName(DirectoryInfo directory) => directory.Name;

    // file system: Path
    public static string TempPath() => Path.GetTempPath();
    public static string TempFileName() => Path.GetTempFileName();

    // delays
    public static Task Delay(TimeSpan delay) => Task.Delay(delay);
    public static Task DelayMilliseconds(int milliseconds, CancellationToken cancellation) => Task.Delay(milliseconds, cancellation);
    public static async Task<DateTime> NowAfterDelay(TimeSpan delay)
    {
        await Task.Delay(delay);
        return DateTime.Now;
    }
    public static void Sleep(int milliseconds) => Thread.Sleep(milliseconds);
    public static void SleepFor(TimeSpan time) => Thread.Sleep(time);

    // processes and console input
    public static Process StartProcess(string fileName, string arguments) => Process.Start(fileName, arguments);
    public static Process StartProcessInfo(ProcessStartInfo info) => Process.Start(info);
    public static bool StartInstance(Process process) => process.Start();
    public static string ReadLine() => Console.ReadLine();
    public static ConsoleKeyInfo ReadKey() => Console.ReadKey();
    public static ConsoleKeyInfo ReadKeyHidden() => Console.ReadKey(intercept: true);

    // HTTP
    public static HttpClient NewHttpClient() => new HttpClient();
    public static HttpClient NewHttpClientWith(HttpMessageHandler handler) => new HttpClient(handler);
    public static async Task<string> FetchText(string url)
    {
        using var client = new HttpClient();
        return await client.GetStringAsync(url);
    }
    public static HttpResponseMessage Send(HttpClient client, HttpRequestMessage request) => client.Send(request);
    public static HttpResponseMessage SendCancellable(HttpClient client, HttpRequestMessage request, CancellationToken cancellation) => client.Send(request, cancellation);
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request) => client.SendAsync(request);
    public static Task<HttpResponseMessage> SendAsyncCancellable(HttpClient client, HttpRequestMessage request, CancellationToken cancellation) => client.SendAsync(request, cancellation);
    public static Task<string> GetStringAsync(HttpClient client, string url) => client.GetStringAsync(url);
    public static Task<HttpResponseMessage> GetAsync(HttpClient client, string url) => client.GetAsync(url);
    public static Task<byte[]> GetByteArrayAsync(HttpClient client, string url) => client.GetByteArrayAsync(url);
    public static Task<Stream> GetStreamAsync(HttpClient client, string url) => client.GetStreamAsync(url);
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, HttpContent content) => client.PostAsync(url, content);
    public static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, HttpContent content) => client.PutAsync(url, content);
    public static Task<HttpResponseMessage> PatchAsync(HttpClient client, string url, HttpContent content) => client.PatchAsync(url, content);
    public static Task<HttpResponseMessage> DeleteAsync(HttpClient client, string url) => client.DeleteAsync(url);
}
