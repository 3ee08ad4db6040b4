using System;

namespace Trapweave.Cli;

/// <summary>A problem to tell the user (bad path, not an app, no backup): printed as one message, exit code 1.</summary>
public sealed class CliError : Exception
{
    public CliError(string message) : base(message) { }
    public CliError(string message, Exception inner) : base(message, inner) { }
}
