using System.Text.Json;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.CardTemplating.Expressions;

namespace ReleaseTeamsApp.CardTemplating;

/// <summary>Data a template is expanded against: <c>$root</c> and <c>$host</c>.</summary>
public sealed record EvaluationContext(JsonNode? Root, JsonNode? Host = null);

/// <summary>
/// An Adaptive Cards template (Template Language), parsed once and expandable many times.
/// Behaves like the reference JavaScript engine (npm adaptivecards-templating 2.3.1), except that where the
/// reference throws (a whole-value expression that fails, a template string that does not parse) the text stays as written.
/// JSON text (template or data) is read and written as <c>JSON.parse</c>/<c>JSON.stringify</c> do, see <see cref="JsonText"/>.
/// </summary>
public sealed class Template
{
    private readonly TemplateNode _root;

    public Template(string json)
        : this(JsonText.Parse(json) ?? throw new ArgumentException("The template is the JSON literal null.", nameof(json)))
    {
    }

    public Template(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _root = TemplateNode.Prepare(node);
    }

    /// <summary>Where <c>utcNow()</c> reads the time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Expands the template to JSON text; <paramref name="data"/> and <paramref name="host"/> may be JSON text, a JsonNode, a JsonElement or any serializable object.</summary>
    public string Expand(object? data, object? host = null) =>
        JsonText.Write(ExpandToNode(ToNode(data), ToNode(host)));

    /// <summary>Expands the template and returns indented JSON.</summary>
    public string ExpandIndented(object? data, object? host = null) =>
        JsonText.Write(ExpandToNode(ToNode(data), ToNode(host)), indented: true);

    public JsonNode? Expand(EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExpandToNode(context.Root, context.Host);
    }

    public JsonNode? ExpandToNode(JsonNode? root, JsonNode? host = null)
    {
        var scope = new Scope(root is null ? null : JsValue.FromNode(root), host is null ? null : JsValue.FromNode(host), TimeProvider);
        return JsValue.ToNode(_root.Expand(scope));
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node,
        string text => JsonText.Parse(text),
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        JsonDocument document => JsonNode.Parse(document.RootElement.GetRawText()),
        _ => JsonSerializer.SerializeToNode(value, value.GetType()),
    };
}
