using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ReleaseTeamsApp.Functions.Tests.Readme;

/// <summary>What one README command printed, its exit code and the newest post id of the Teams stand-in after it.</summary>
internal sealed record ReadmeStep(int Index, string Command, string Output, int ExitCode, int LastPostId);

/// <summary>
/// Runs README commands in one bash, one after the other as a reader pastes them, in a process group of its own
/// (so a command that starts something in the background, like <c>./run.sh &amp;</c>, is stopped with it). After every
/// command the script prints a marker with the command's exit code and the newest post id the local host's Teams
/// stand-in has recorded. The commands themselves are run as written.
/// </summary>
internal static partial class ReadmeScript
{
    public static async Task<IReadOnlyList<ReadmeStep>> RunAsync(
        IReadOnlyList<string> commands,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        Uri host,
        TimeSpan timeout,
        Func<Task> whileRunning)
    {
        ArgumentNullException.ThrowIfNull(whileRunning);
        var script = new StringBuilder();
        script.AppendLine("read -r _ _ _ _ readme_pgid _ < /proc/$$/stat; echo \"@@pgid $readme_pgid@@\"");
        script.AppendLine(CultureInfo.InvariantCulture, $"readme_last() {{ curl -s --max-time 10 '{host}_dev/connector/activities?text=true' 2>/dev/null | sed -nE 's/^(send|reply|create) ([0-9]+):.*/\\2/p' | tail -n 1; }}");
        for (var i = 0; i < commands.Count; i++)
        {
            script.AppendLine(commands[i]);
            script.AppendLine(CultureInfo.InvariantCulture, $"readme_rc=$?; printf '\\n@@step {i} rc=%s last=%s@@\\n' \"$readme_rc\" \"$(readme_last)\"");
        }

        script.AppendLine("echo '@@end@@'");
        var path = Path.Combine(Path.GetTempPath(), $"readme-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(path, script.ToString());

        var start = new ProcessStartInfo("setsid", ["bash", path])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // The test runner's MSBuild variables would steer the build run.sh starts; a reader's shell has none.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        int? group = null;
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!Text(output).Contains("@@end@@", StringComparison.Ordinal))
            {
                group ??= PgidMarker().Match(Text(output)) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"The README commands did not finish within {timeout}. Output so far:\n{Tail(Text(output))}");
                }

                await Task.Delay(250);
            }

            group ??= int.Parse(PgidMarker().Match(Text(output)).Groups[1].Value, CultureInfo.InvariantCulture);
            await whileRunning();
        }
        finally
        {
            await StopGroupAsync(group ?? process.Id);
            File.Delete(path);
        }

        return Parse(Text(output), commands);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Append(line).Append('\n');
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;

    private static List<ReadmeStep> Parse(string output, IReadOnlyList<string> commands)
    {
        var steps = new List<ReadmeStep>();
        var from = output.IndexOf('\n', PgidMarker().Match(output).Index) + 1;
        var previousLast = 0;
        foreach (Match marker in StepMarker().Matches(output))
        {
            var index = int.Parse(marker.Groups[1].Value, CultureInfo.InvariantCulture);
            var last = int.TryParse(marker.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : previousLast;
            steps.Add(new ReadmeStep(index, commands[index], output[from..marker.Index], int.Parse(marker.Groups[2].Value, CultureInfo.InvariantCulture), last));
            previousLast = last;
            from = marker.Index + marker.Length;
        }

        return steps;
    }

    /// <summary>SIGTERM to the whole group (run.sh's trap stops what it started), then SIGKILL whatever is left.</summary>
    private static async Task StopGroupAsync(int group)
    {
        await SignalAsync("-TERM", group);
        for (var i = 0; i < 80 && await SignalAsync("-0", group); i++)
        {
            await Task.Delay(250);
        }

        await SignalAsync("-KILL", group);
    }

    private static async Task<bool> SignalAsync(string signal, int group)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [signal, "--", "-" + group.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        await kill.WaitForExitAsync();
        return kill.ExitCode == 0;
    }

    [GeneratedRegex(@"@@pgid (\d+)@@")]
    private static partial Regex PgidMarker();

    [GeneratedRegex(@"\n@@step (\d+) rc=(\d+) last=(\d*)@@\n")]
    private static partial Regex StepMarker();
}
