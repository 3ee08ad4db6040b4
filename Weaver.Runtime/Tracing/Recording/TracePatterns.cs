using System;
using System.Collections.Generic;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Trapweave.Tracing;

/// <summary>
/// A trace filter's Include or Exclude patterns, matched against a method's full name
/// <c>Namespace.Type.Method</c> (nested types joined with '.', generic arity left out), ignoring case.
/// <c>*</c> matches any run of characters. A pattern names a namespace, a type or a method: it
/// matches the name itself and everything under it (<c>MyApp.Billing</c> matches
/// <c>MyApp.Billing.Invoice.Total</c>), so <c>*.Charge</c> matches every method named Charge.
/// </summary>
internal sealed class TracePatterns
{
    readonly Regex? _regex;

    public TracePatterns(IReadOnlyList<string> patterns)
    {
        if (patterns.Count == 0) return;
        var alternatives = new List<string>();
        foreach (var pattern in patterns)
        {
            if (string.IsNullOrWhiteSpace(pattern))
                throw new ArgumentException("A trace filter pattern is empty: name a namespace, type or method, e.g. MyApp.Billing or *.Charge.");
            var text = new StringBuilder();
            foreach (var part in pattern.Trim().Split('*')) text.Append(Regex.Escape(part)).Append(".*");
            text.Length -= 2;
            alternatives.Add(text.ToString());
        }
        _regex = new Regex("^(?:" + string.Join("|", alternatives) + @")(?:\..*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    public bool IsEmpty => _regex is null;

    public bool Matches(string name) => _regex?.IsMatch(name) == true;

    /// <summary><c>Namespace.Outer.Inner.Method</c>.</summary>
    public static string NameOf(MethodBase method)
    {
        var text = new StringBuilder();
        if (method.DeclaringType is { } type) AppendType(text, type).Append('.');
        return text.Append(method.Name).ToString();
    }

    static StringBuilder AppendType(StringBuilder text, Type type)
    {
        if (type.IsGenericType && !type.IsGenericTypeDefinition) type = type.GetGenericTypeDefinition();
        if (type.DeclaringType is { } outer) AppendType(text, outer).Append('.');
        else if (!string.IsNullOrEmpty(type.Namespace)) text.Append(type.Namespace).Append('.');
        var name = type.Name;
        var tick = name.IndexOf('`');
        return text.Append(tick < 0 ? name : name.Substring(0, tick));
    }
}
