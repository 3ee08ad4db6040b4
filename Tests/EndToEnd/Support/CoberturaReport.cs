using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Trapweave.Tests.EndToEnd.Support;

/// <summary>Line and branch counts of one package, class or method in a Cobertura report, and the rates and cyclomatic complexity the tool wrote for it.</summary>
public sealed record CoverageCounts(int LinesValid, int LinesCovered, int BranchesValid, int BranchesCovered, string LineRate, string BranchRate, string Complexity)
{
    public override string ToString() =>
        $"lines {LinesCovered}/{LinesValid} (rate {LineRate}), branches {BranchesCovered}/{BranchesValid} (rate {BranchRate}), complexity {Complexity}";
}

/// <summary>
/// A Cobertura report as coverlet and Microsoft.CodeCoverage write it, reduced to counts per package,
/// class and method. Counts come from the <c>line</c> elements (a line is covered with hits &gt; 0; its
/// branches from <c>condition-coverage="50% (1/2)"</c>); rates are the tool's own attributes, compared as written.
/// </summary>
public sealed class CoberturaReport
{
    static readonly Regex Condition = new(@"\((\d+)/(\d+)\)", RegexOptions.CultureInvariant);

    CoberturaReport(string path, IReadOnlyDictionary<string, CoverageCounts> packages, IReadOnlyDictionary<string, CoverageCounts> classes, IReadOnlyDictionary<string, CoverageCounts> methods)
    {
        Path = path;
        Packages = packages;
        Classes = classes;
        Methods = methods;
    }

    public string Path { get; }

    /// <summary>By package name (coverlet: the assembly name; Microsoft: the file name).</summary>
    public IReadOnlyDictionary<string, CoverageCounts> Packages { get; }

    /// <summary>By <c>package|class|file</c>.</summary>
    public IReadOnlyDictionary<string, CoverageCounts> Classes { get; }

    /// <summary>By <c>package|class|file|method signature</c>.</summary>
    public IReadOnlyDictionary<string, CoverageCounts> Methods { get; }

    /// <summary>The one Cobertura file under <paramref name="directory"/> (collectors put it in a folder of their own).</summary>
    public static CoberturaReport FindIn(string directory)
    {
        var files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.cobertura.xml", SearchOption.AllDirectories) : Array.Empty<string>();
        Assert.True(files.Length == 1, $"expected one *.cobertura.xml under {directory}, found {files.Length}: {string.Join(", ", files)}");
        return Read(files[0]);
    }

    public static CoberturaReport Read(string path)
    {
        var root = XDocument.Load(path).Root ?? throw new InvalidDataException($"{path} is empty");
        var packages = new SortedDictionary<string, CoverageCounts>(StringComparer.Ordinal);
        var classes = new SortedDictionary<string, CoverageCounts>(StringComparer.Ordinal);
        var methods = new SortedDictionary<string, CoverageCounts>(StringComparer.Ordinal);
        foreach (var package in root.Descendants("package"))
        {
            var packageName = (string)package.Attribute("name") ?? "";
            packages[packageName] = Count(package.Descendants("class").SelectMany(c => ClassLines(c)), package);
            foreach (var type in package.Descendants("class"))
            {
                var classKey = $"{packageName}|{(string)type.Attribute("name")}|{(string)type.Attribute("filename")}";
                // Several class elements can share a key (partial classes in one file): keep them apart by position.
                var key = classKey;
                for (var n = 2; classes.ContainsKey(key); n++) key = classKey + "#" + n;
                classes[key] = Count(ClassLines(type), type);
                foreach (var method in type.Descendants("method"))
                {
                    var methodKey = $"{key}|{(string)method.Attribute("name")}{(string)method.Attribute("signature")}";
                    for (var n = 2; methods.ContainsKey(methodKey); n++) methodKey = $"{key}|{(string)method.Attribute("name")}{(string)method.Attribute("signature")}#{n}";
                    methods[methodKey] = Count(method.Descendants("line"), method);
                }
            }
        }
        return new CoberturaReport(path, packages, classes, methods);
    }

    /// <summary>A class's own line list (its direct <c>lines</c> element; the methods' lists repeat the same lines).</summary>
    static IEnumerable<XElement> ClassLines(XElement type) =>
        type.Elements("lines").Elements("line");

    static CoverageCounts Count(IEnumerable<XElement> lines, XElement owner)
    {
        int linesValid = 0, linesCovered = 0, branchesValid = 0, branchesCovered = 0;
        foreach (var line in lines)
        {
            linesValid++;
            if (long.Parse((string)line.Attribute("hits") ?? "0", CultureInfo.InvariantCulture) > 0) linesCovered++;
            if ((string)line.Attribute("condition-coverage") is { } condition && Condition.Match(condition) is { Success: true } m)
            {
                branchesCovered += int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                branchesValid += int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }
        return new CoverageCounts(linesValid, linesCovered, branchesValid, branchesCovered,
            (string)owner.Attribute("line-rate") ?? "", (string)owner.Attribute("branch-rate") ?? "", (string)owner.Attribute("complexity") ?? "");
    }
}
