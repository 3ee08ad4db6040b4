using System;
using System.Collections.Generic;

namespace Trapweave.Tracing;

/// <summary>
/// Bounds for rendering a traced value to text (see <see cref="ValueRenderer"/>). Every bound
/// applies to one rendered value (one argument, one result); the defaults keep a value under
/// about 4 KB of text.
/// </summary>
public sealed class TraceRenderOptions
{
    /// <summary>How many levels of members or items are expanded; deeper composites render as <c>Type { … }</c>.</summary>
    public int MaxDepth { get; init; } = 4;

    /// <summary>Characters of a string (or of a <c>ToString</c> result) kept; the rest is cut with a visible marker.</summary>
    public int MaxStringLength { get; init; } = 256;

    /// <summary>Items of a collection or dictionary shown; the count of the rest follows.</summary>
    public int MaxCollectionItems { get; init; } = 16;

    /// <summary>Fields and properties of an object shown; the count of the rest follows.</summary>
    public int MaxMembers { get; init; } = 16;

    /// <summary>Characters of one whole rendered value; past it the text ends with <c>…&lt;truncated&gt;</c>.</summary>
    public int MaxRenderedLength { get; init; } = 4096;

    /// <summary>
    /// Values (objects, items, members) visited for one rendered value: the work budget that keeps a
    /// wide graph of shared references from taking long even when the text stays short.
    /// </summary>
    public int MaxValuesVisited { get; init; } = 512;

    /// <summary>
    /// Names of parameters, fields and properties whose values are masked as <c>***</c>: <c>*</c>
    /// matches any run of characters, matching ignores case. Defaults: <see cref="DefaultSecretNamePatterns"/>.
    /// </summary>
    public IReadOnlyList<string> SecretNamePatterns { get; init; } = DefaultSecretNamePatterns;

    public static IReadOnlyList<string> DefaultSecretNamePatterns { get; } = new[]
    {
        "*password*", "*passwd*", "*secret*", "*token*", "*apikey*", "*api_key*", "*credential*",
        "*connectionstring*", "*privatekey*",
    };

    public static TraceRenderOptions Default { get; } = new();

    internal void Validate()
    {
        Positive(MaxDepth, nameof(MaxDepth), 0);
        Positive(MaxStringLength, nameof(MaxStringLength), 0);
        Positive(MaxCollectionItems, nameof(MaxCollectionItems), 0);
        Positive(MaxMembers, nameof(MaxMembers), 0);
        Positive(MaxRenderedLength, nameof(MaxRenderedLength), 16);
        Positive(MaxValuesVisited, nameof(MaxValuesVisited), 1);
        if (SecretNamePatterns is null)
            throw new ArgumentNullException(nameof(SecretNamePatterns), "TraceRenderOptions.SecretNamePatterns must not be null: pass an empty list to mask by attribute only.");
    }

    static void Positive(int value, string name, int min)
    {
        if (value < min)
            throw new ArgumentOutOfRangeException(name, value, $"TraceRenderOptions.{name} must be at least {min}.");
    }
}
