using System.Text.Json.Nodes;
using ReleaseTeamsApp.CardTemplating;

namespace ReleaseTeamsApp.Cli.Cards;

/// <summary><c>cards expand &lt;template.json&gt; &lt;data.json&gt;</c>: previews a card the way Teams will receive it.</summary>
internal static class ExpandCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 2)
        {
            stderr.WriteLine("error: cards expand needs exactly two files");
            stderr.WriteLine("usage: cards expand <template.json> <data.json>");
            return CommandLine.UsageError;
        }

        if (!TryReadJson(args[0], "template", stderr, out var template) || !TryReadJson(args[1], "data", stderr, out var data))
        {
            return CommandLine.UsageError;
        }

        JsonNode? expanded;
        try
        {
            expanded = new Template(template!).ExpandToNode(data);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A template the engine cannot expand is the author's problem to fix, not a crash: one line, no stack trace.
            stderr.WriteLine($"error: template '{args[0]}' cannot be expanded with '{args[1]}': {ex.Message}");
            return CommandLine.UsageError;
        }

        stdout.WriteLine(JsonText.Write(expanded, indented: true));
        return CommandLine.Success;
    }

    private static bool TryReadJson(string path, string role, TextWriter stderr, out JsonNode? node)
    {
        node = null;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"error: cannot read {role} file '{path}': {ex.Message}");
            return false;
        }

        try
        {
            node = JsonText.Parse(text);
        }
        catch (JsonTextException ex)
        {
            stderr.WriteLine($"error: {role} file '{path}' is not valid JSON at line {ex.Line}, position {ex.Column}: {ex.Problem}");
            return false;
        }

        if (node is null && role == "template")
        {
            stderr.WriteLine($"error: template file '{path}' holds the JSON literal null, not a card");
            return false;
        }

        return true;
    }
}
