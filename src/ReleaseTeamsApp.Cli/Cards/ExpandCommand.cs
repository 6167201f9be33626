using System.Text.Json;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.CardTemplating;

namespace ReleaseTeamsApp.Cli.Cards;

/// <summary><c>cards expand &lt;template.json&gt; &lt;data.json&gt;</c>: previews a card the way Teams will receive it.</summary>
internal static class ExpandCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

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

        var expanded = new Template(template!).ExpandToNode(data);
        stdout.WriteLine(expanded?.ToJsonString(Indented) ?? "null");
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
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {ex.BytePositionInLine + 1}" : string.Empty;
            stderr.WriteLine($"error: {role} file '{path}' is not valid JSON{where}");
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
