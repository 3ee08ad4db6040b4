using System;
using System.CommandLine;
using System.IO;

namespace Trapweave.Cli;

/// <summary>
/// The <c>trapweave</c> command line: <c>weave</c>, <c>restore</c>, <c>trace</c>. <see cref="Run"/>
/// is the whole program, so tests call it in process with their own writers.
/// </summary>
public static class TrapweaveCommand
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code (0 done, 1 error or bad usage).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Weave built .NET assemblies in place (with a backup), restore them, and convert Trapweave traces.")
        {
            WeaveCommand.Create(output, error),
            RestoreCommand.Create(output, error),
            TraceCommand.Create(output, error),
        };
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return root.Parse(args).Invoke(configuration);
        }
        catch (CliError e)
        {
            error.WriteLine("trapweave: " + e.Message);
            return 1;
        }
    }

    /// <summary>Runs a command's action, turning the errors meant for the user into a message and exit code 1.</summary>
    internal static int Guarded(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (CliError e)
        {
            error.WriteLine("trapweave: " + e.Message);
            return 1;
        }
        catch (Trapweave.Fody.Core.WeavingError e)
        {
            error.WriteLine("trapweave: " + e.Message);
            return 1;
        }
        catch (Trapweave.Fody.Core.ConfigException e)
        {
            error.WriteLine($"trapweave: {e.Message} ({e.Code})");
            return 1;
        }
    }
}
