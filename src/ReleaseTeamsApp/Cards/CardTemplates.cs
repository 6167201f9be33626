using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.CardTemplating;

namespace ReleaseTeamsApp.Cards;

/// <summary>The app's Adaptive Card templates (JSON files designed the Adaptive Cards Designer way), parsed once and expanded with card data.</summary>
internal static class CardTemplates
{
    public const string PhaseChecklist = "phase-checklist";
    public const string ReleaseSummary = "release-summary";
    public const string Notice = "notice";
    public const string MyItems = "my-items";
    public const string ReminderDigest = "reminder-digest";
    public const string FollowUpCheckIn = "followup-checkin";
    public const string Start = "start";
    public const string NewReleaseForm = "new-release-form";

    private static readonly ConcurrentDictionary<string, Template> Parsed = new(StringComparer.Ordinal);

    private static readonly JsonSerializerOptions DataOptions = new(JsonSerializerDefaults.Web);

    public static IEnumerable<string> Names =>
        typeof(CardTemplates).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Cards.", StringComparison.Ordinal))
            .Select(n => n["Cards.".Length..^".json".Length]);

    public static string Source(string name)
    {
        using var stream = typeof(CardTemplates).Assembly.GetManifestResourceStream($"Cards.{name}.json")
            ?? throw new InvalidOperationException($"No card template named '{name}'.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Binds <paramref name="data"/> (the card's data record, next to its builder; properties written camelCase, nulls kept) to the named template.</summary>
    public static JsonObject Expand(string name, object data)
    {
        var template = Parsed.GetOrAdd(name, n => new Template(Source(n)));
        var root = JsonSerializer.SerializeToNode(data, DataOptions);
        var card = template.ExpandToNode(root)?.AsObject() ?? throw new InvalidOperationException($"Card template '{name}' expanded to nothing.");
        TeamsText.NeutralizeCard(card);
        return card;
    }
}
