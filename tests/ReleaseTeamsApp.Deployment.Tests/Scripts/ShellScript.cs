using System.Diagnostics;

namespace ReleaseTeamsApp.Deployment.Tests.Scripts;

/// <summary>Runs one of the repository's sh scripts (in a copy of the repository) with only the given variables set, DRY_RUN=1 unless told.</summary>
internal static class ShellScript
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(string workingDirectory, string script, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // One pipe for stdout and stderr keeps the printed commands in the order the script ran them.
        var start = new ProcessStartInfo("sh", ["-c", "exec sh \"$0\" \"$@\" 2>&1", script, .. args])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = Environment.GetEnvironmentVariable("HOME");
        start.Environment["DRY_RUN"] = "1";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new Result(process.ExitCode, output);
    }

    /// <summary>The lines a dry run printed for <c>write FILE</c>, without their "  | " margin.</summary>
    public static string WrittenFile(string output, string path)
    {
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        var start = Array.IndexOf(lines, $"write {path}:");
        Assert.True(start >= 0, $"The dry run writes no {path}:\n{output}");
        return string.Join('\n', lines.Skip(start + 1).TakeWhile(l => l.StartsWith("  | ", StringComparison.Ordinal) || l == "  |").Select(l => l.Length > 4 ? l[4..] : "")) + '\n';
    }

    /// <summary>The commands (lines starting with "+ ") a dry run printed, in order.</summary>
    public static List<string> Commands(string output) =>
        output.ReplaceLineEndings("\n").Split('\n').Where(l => l.StartsWith("+ ", StringComparison.Ordinal)).Select(l => l[2..]).ToList();
}
