using System;

namespace Trapweave.Cli;

static class Program
{
    static int Main(string[] args) => TrapweaveCommand.Run(args, Console.Out, Console.Error);
}
