using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ReleaseTeamsApp.Testing;

/// <summary>The Adaptive Card 1.5 JSON schema (copied into the tests so CI needs nothing outside the repo) and Teams' size budget.</summary>
public static class AdaptiveCardSchema
{
    /// <summary>Teams caps a message near 28 KB of card payload; the product keeps every card at or below 20 KB.</summary>
    public const int MaxCardBytes = 20 * 1024;

    private static readonly Lazy<JsonSchema> Schema = new(Load);

    /// <summary>Every violation as "location: message"; empty when the card is valid Adaptive Card 1.5.</summary>
    public static IReadOnlyList<string> Validate(JsonNode card)
    {
        using var document = JsonDocument.Parse(card.ToJsonString());
        var results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return [.. (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .Distinct(StringComparer.Ordinal)
            .Take(20)];
    }

    public static void AssertValid(JsonNode card, string what)
    {
        var problems = Validate(card);
        Assert.True(problems.Count == 0, $"{what} is not a valid Adaptive Card 1.5:\n{string.Join("\n", problems)}");
        var bytes = Encoding.UTF8.GetByteCount(card.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.True(bytes <= MaxCardBytes, $"{what} is {bytes} bytes; cards must stay at or below {MaxCardBytes}.");
    }

    private static JsonSchema Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Schemas", "adaptive-card.v1.5.schema.json");
        var node = JsonNode.Parse(File.ReadAllText(path))!.AsObject();

        // The file mixes draft-06 "$schema" with draft-04 "id"; it uses no keyword that differs under draft-07.
        node.Remove("$schema");
        node.Remove("id");

        // Teams' documented host extensions, which the Adaptive Cards schema does not list: the card's "msteams" (full
        // width, mention entities) and the people picker's "choices.data" (Data.Query on graph.microsoft.com/users).
        var definitions = node["definitions"]!.AsObject();
        definitions["AdaptiveCard"]!["properties"]!.AsObject()["msteams"] = JsonNode.Parse("""
            { "type": "object", "additionalProperties": false, "properties": {
                "width": { "enum": ["Full"] },
                "entities": { "type": "array", "items": { "type": "object", "required": ["type", "text", "mentioned"] } } } }
            """);
        definitions["Input.ChoiceSet"]!["properties"]!.AsObject()["choices.data"] = JsonNode.Parse("""
            { "type": "object", "additionalProperties": false, "required": ["type", "dataset"], "properties": {
                "type": { "enum": ["Data.Query"] },
                "dataset": { "enum": ["graph.microsoft.com/users", "graph.microsoft.com/users?scope=currentContext"] } } }
            """);
        var options = new BuildOptions { Dialect = Dialect.Draft07, SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.FromText(node.ToJsonString(), options, new Uri("https://schemas.local/adaptive-card/1.5"));
    }
}
