using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ReleaseTeamsApp.Cli.AppPackage;

/// <summary>The Teams manifest v1.30 JSON schema, kept in appPackage/schema/ so validation needs no network.</summary>
internal sealed class ManifestSchema
{
    private readonly JsonSchema _schema;

    private ManifestSchema(JsonSchema schema) => _schema = schema;

    public static ManifestSchema Load(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!.AsObject();

        // The file declares draft-04, which JsonSchema.Net does not ship; it uses no draft-04-only
        // keywords, so it evaluates the same under draft-07.
        node.Remove("$schema");
        var options = new BuildOptions { Dialect = Dialect.Draft07, SchemaRegistry = new SchemaRegistry() };
        return new ManifestSchema(JsonSchema.FromText(node.ToJsonString(), options, new Uri("https://schemas.local/teams/v1.30")));
    }

    /// <summary>Every violation as "location: message"; empty when the manifest is valid.</summary>
    public IReadOnlyList<string> Validate(string manifestJson)
    {
        using var document = JsonDocument.Parse(manifestJson);
        var results = _schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return [.. (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{Location(d.InstanceLocation.ToString())}: {e.Value}"))
            .Distinct(StringComparer.Ordinal)];
    }

    private static string Location(string pointer) => pointer.Length == 0 ? "(root)" : pointer;
}
