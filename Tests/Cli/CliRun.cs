using System.IO;
using Trapweave.Cli;

namespace Trapweave.Tests.Cli;

/// <summary>One in-process run of the trapweave command line: its exit code and what it wrote to each stream.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = TrapweaveCommand.Run(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n--- output:\n{Output}--- error:\n{Error}";
}
