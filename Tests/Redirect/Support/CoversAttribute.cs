namespace Trapweave.Tests.Redirect.Support;

/// <summary>
/// Names the default-set entry (<c>DefaultRedirects.Entries</c>' pattern) a test exercises; the
/// coverage test fails for an entry no test names, or a name that is no entry.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class CoversAttribute : Attribute
{
    public CoversAttribute(string pattern) => Pattern = pattern;

    public string Pattern { get; }
}
