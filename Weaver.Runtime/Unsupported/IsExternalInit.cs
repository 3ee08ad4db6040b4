namespace System.Runtime.CompilerServices;

/// <summary>What C# needs for <c>init</c> accessors (the options classes shared with the net8.0 build); .NET 5+ has it.</summary>
internal static class IsExternalInit
{
}
