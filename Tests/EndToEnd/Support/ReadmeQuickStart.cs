using System.IO;
using System.Text.RegularExpressions;

namespace Trapweave.Tests.EndToEnd.Support;

/// <summary>One step of README's quick start: a shell command, or a file to write.</summary>
public abstract record QuickStartStep(int Line);

/// <summary>A line of an <c>sh</c> block, split into words as a shell would (double quotes group).</summary>
public sealed record CommandStep(int Line, string Text, string[] Words) : QuickStartStep(Line);

/// <summary>A fenced block whose first line is a comment naming a relative path: the whole block is that file.</summary>
public sealed record FileStep(int Line, string Path, string Content) : QuickStartStep(Line);

/// <summary>
/// README.md's "## Quick start" section read as a script: its fenced <c>sh</c> blocks are commands
/// (comment lines skipped), and a fenced block whose first line is <c>// path</c> or
/// <c>&lt;!-- path --&gt;</c> is that file's whole content, the comment included (what a reader
/// copies). Other blocks (examples of what a file then holds) are kept apart in <see cref="Examples"/>.
/// </summary>
public sealed class ReadmeQuickStart
{
    static readonly Regex Fence = new(@"^(?<indent>\s*)```(?<lang>[\w-]*)\s*$");
    static readonly Regex FileMarker = new(@"^(?://\s*(?<path>[\w./-]+\.\w+)|<!--\s*(?<path>[\w./-]+\.\w+)\s*-->)\s*$");

    ReadmeQuickStart(string text, IReadOnlyList<QuickStartStep> steps, IReadOnlyList<string> examples)
    {
        Text = text;
        Steps = steps;
        Examples = examples;
    }

    /// <summary>The section's whole text, heading included.</summary>
    public string Text { get; }
    public IReadOnlyList<QuickStartStep> Steps { get; }
    public IReadOnlyList<string> Examples { get; }

    public static ReadmeQuickStart Read(string readmePath)
    {
        var lines = File.ReadAllLines(readmePath);
        var start = Array.FindIndex(lines, l => l.StartsWith("## Quick start", StringComparison.Ordinal));
        if (start < 0) throw new InvalidOperationException($"{readmePath} has no '## Quick start' section.");
        var end = Array.FindIndex(lines, start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        if (end < 0) end = lines.Length;

        var steps = new List<QuickStartStep>();
        var examples = new List<string>();
        for (var i = start + 1; i < end; i++)
        {
            var open = Fence.Match(lines[i]);
            if (!open.Success) continue;
            var indent = open.Groups["indent"].Value.Length;
            var lang = open.Groups["lang"].Value;
            var body = new List<string>();
            var first = i + 1;
            for (i++; i < end && !Fence.IsMatch(lines[i]); i++)
                body.Add(lines[i].Length >= indent && lines[i][..indent].Trim().Length == 0 ? lines[i][indent..] : lines[i].TrimStart());
            if (i >= end) throw new InvalidOperationException($"{readmePath}({first}): a fenced block is not closed inside the quick start.");

            if (lang == "sh")
            {
                for (var k = 0; k < body.Count; k++)
                {
                    var command = body[k].Trim();
                    if (command.Length == 0 || command.StartsWith('#')) continue;
                    steps.Add(new CommandStep(first + k + 1, command, Words(command)));
                }
            }
            else if (body.Count > 0 && FileMarker.Match(body[0]) is { Success: true } marker)
                steps.Add(new FileStep(first + 1, marker.Groups["path"].Value, string.Join("\n", body) + "\n"));
            else
                examples.Add(string.Join("\n", body));
        }
        return new ReadmeQuickStart(string.Join("\n", lines[start..end]), steps, examples);
    }

    static string[] Words(string command)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        bool quoted = false, any = false;
        foreach (var c in command)
        {
            if (c == '"') { quoted = !quoted; any = true; continue; }
            if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any) words.Add(word.ToString());
                word.Clear();
                any = false;
                continue;
            }
            if (!quoted && c is '|' or '&' or ';' or '>' or '<' or '$' or '`' or '*' or '\'')
                throw new InvalidOperationException($"README's quick-start command `{command}` uses shell syntax ('{c}'); the quick start keeps to plain commands so every shell runs them alike.");
            word.Append(c);
            any = true;
        }
        if (quoted) throw new InvalidOperationException($"README's quick-start command `{command}` has an unclosed quote.");
        if (any) words.Add(word.ToString());
        return words.ToArray();
    }
}
