using System.Text.RegularExpressions;

namespace ReleaseTeamsApp.Functions.Tests.Readme;

/// <summary>
/// The ```bash code blocks of one README section (a "## " or "### " heading up to the next heading of that level or above), split into the
/// top-level commands a reader pastes one by one: a line, its "\" continuations, or a whole for/while loop.
/// </summary>
internal static partial class ReadmeSection
{
    public static IReadOnlyList<string> BashCommands(string readme, string heading) => [.. BashBlocks(readme, heading).SelectMany(b => b)];

    /// <summary>The section's ```bash blocks, each as its commands.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> BashBlocks(string readme, string heading)
    {
        var lines = readme.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, l => Level(l) > 0 && l[(Level(l) + 1)..].Trim() == heading);
        if (start < 0)
        {
            throw new InvalidOperationException($"README.md has no section '{heading}'.");
        }

        var level = Level(lines[start]);

        var blocks = new List<IReadOnlyList<string>>();
        var commands = new List<string>();
        var inBash = false;
        var current = new List<string>();
        var depth = 0;
        for (var i = start + 1; i < lines.Length && !(Level(lines[i]) is > 0 and var heading2 && heading2 <= level); i++)
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
                blocks.Add(commands);
                commands = [];
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

        return blocks;
    }

    [GeneratedRegex(@"\s#\s.*$")]
    private static partial Regex CommentTail();

    /// <summary>2 for "## …", 3 for "### …", 0 for any other line.</summary>
    private static int Level(string line) => line.StartsWith("### ", StringComparison.Ordinal) ? 3 : line.StartsWith("## ", StringComparison.Ordinal) ? 2 : 0;

    // The shell keywords "do" and "done" where the shell reads them: at the start of a line or after ";".
    [GeneratedRegex(@"(^|;)\s*do(\s|$)")]
    private static partial Regex LoopDo();

    [GeneratedRegex(@"(^|;)\s*done(\s|;|$)")]
    private static partial Regex LoopDone();
}
