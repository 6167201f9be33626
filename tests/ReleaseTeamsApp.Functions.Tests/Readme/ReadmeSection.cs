using System.Text.RegularExpressions;

namespace ReleaseTeamsApp.Functions.Tests.Readme;

/// <summary>
/// The ```bash code blocks of one README section (a "## " heading up to the next "## "), split into the
/// top-level commands a reader pastes one by one: a line, its "\" continuations, or a whole for/while loop.
/// </summary>
internal static partial class ReadmeSection
{
    public static IReadOnlyList<string> BashCommands(string readme, string heading)
    {
        var lines = readme.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("## ", StringComparison.Ordinal) && l[3..].Trim() == heading);
        if (start < 0)
        {
            throw new InvalidOperationException($"README.md has no section '## {heading}'.");
        }

        var commands = new List<string>();
        var inBash = false;
        var current = new List<string>();
        var depth = 0;
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            var line = lines[i];
            if (!inBash)
            {
                inBash = line.Trim() == "```bash";
                continue;
            }

            if (line.Trim() == "```")
            {
                if (current.Count > 0 || depth != 0)
                {
                    throw new InvalidOperationException($"README.md line {i + 1}: a code block ends inside a command.");
                }

                inBash = false;
                continue;
            }

            if (current.Count == 0 && (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')))
            {
                continue;
            }

            current.Add(line);
            var code = CommentTail().Replace(line, "").TrimEnd();
            depth += LoopDo().Count(code) - LoopDone().Count(code);

            if (depth == 0 && !code.EndsWith('\\'))
            {
                commands.Add(string.Join('\n', current));
                current.Clear();
            }
        }

        return commands;
    }

    [GeneratedRegex(@"\s#\s.*$")]
    private static partial Regex CommentTail();

    // The shell keywords "do" and "done" where the shell reads them: at the start of a line or after ";".
    [GeneratedRegex(@"(^|;)\s*do(\s|$)")]
    private static partial Regex LoopDo();

    [GeneratedRegex(@"(^|;)\s*done(\s|;|$)")]
    private static partial Regex LoopDone();
}
