using System.CommandLine;
using System.IO;
using System.Linq;

namespace Trapweave.Cli;

/// <summary><c>trapweave restore &lt;folder|dll&gt;</c>: puts back the original bytes <c>weave</c> backed up and removes what it added.</summary>
static class RestoreCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var target = new Argument<string>("folder|dll") { Description = "The folder (or an assembly in it) that `trapweave weave` wove." };
        var force = new Option<bool>("--force") { Description = "Restore even files that changed after weaving (for example rebuilt): their new bytes are lost." };
        var command = new Command("restore", "Undo `trapweave weave`: the original files back, byte for byte, and the added runtime removed.") { target, force };
        command.SetAction(parse => TrapweaveCommand.Guarded(error, () => Run(parse.GetValue(target)!, parse.GetValue(force), output)));
        return command;
    }

    static int Run(string input, bool force, TextWriter output)
    {
        var path = Path.GetFullPath(input);
        var folder = Directory.Exists(path) ? path
            : File.Exists(path) ? Path.GetDirectoryName(path)!
            : throw new CliError($"'{path}' does not exist. Give the folder (or an assembly in it) that `trapweave weave` wove.");
        var backup = Backup.Open(folder);
        var changed = backup.ChangedSinceWeave().ToList();
        if (changed.Count > 0 && !force)
            throw new CliError($"{string.Join(", ", changed)} changed after trapweave wove {(changed.Count == 1 ? "it" : "them")} (rebuilt?): restoring would put older bytes over the new ones. Nothing was restored. Use --force to restore anyway, or delete {backup.Location} to keep the files as they are.");
        backup.Restore();
        output.WriteLine($"Restored {backup.Files.Count} file{(backup.Files.Count == 1 ? "" : "s")} in {folder} to their original bytes ({string.Join(", ", backup.Files.Select(f => f.Path))})" +
                         (backup.Added.Count == 0 ? "" : $" and removed {string.Join(", ", backup.Added)}") + "; the backup is deleted.");
        return 0;
    }
}
