using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReleaseTeamsApp.BotProtocol;

namespace ReleaseTeamsApp.Cards;

/// <summary>
/// Keeps what people typed (versions, scope, reasons, notes, names, template ids) readable when the bot shows it again:
/// Teams reads message text as HTML, so &lt;word&gt; would vanish or become a tag, and a typed &lt;at&gt; a broken mention.
/// </summary>
internal static partial class TeamsText
{
    /// <summary>Properties of card elements that Teams shows as text (not ids, verbs, urls or action data).</summary>
    private static readonly HashSet<string> ShownProperties = ["text", "title", "value", "label", "placeholder", "altText", "errorMessage", "fallbackText", "speak"];

    /// <summary>
    /// Escapes &amp;, &lt; and &gt; in a message's text so Teams shows them as typed. The &lt;at&gt;…&lt;/at&gt; spans of the
    /// message's own mention entities stay as they are (their names are escaped when the mention is made).
    /// </summary>
    public static void NeutralizeMessage(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (string.IsNullOrEmpty(activity.Text))
        {
            return;
        }

        var mentions = (activity.Entities ?? [])
            .Where(e => e.Type == Mention.EntityType)
            .Select(e => e.GetAs<Mention>()?.Text)
            .OfType<string>()
            .Where(t => t.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(t => t.Length)
            .ToList();
        activity.Text = EscapeOutside(activity.Text, mentions);
    }

    /// <summary>&amp;, &lt; and &gt; as HTML entities (Teams shows the characters).</summary>
    public static string EscapeHtml(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>
    /// Rewrites tag-like text (&lt;script&gt;, &lt;/at&gt;, &lt;version&gt;) in the shown texts of a card with look-alike angle
    /// quotes, so no card renderer takes it for markup. "a &lt; b" and "x -&gt; y" stay as they are.
    /// </summary>
    public static void NeutralizeCard(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    // Action data, addresses and ids are read by the bot or the client, never shown.
                    if (key is "data" or "url" or "iconUrl" or "verb" or "id" or "userIds")
                    {
                        continue;
                    }

                    if (child is JsonValue value && ShownProperties.Contains(key) && value.TryGetValue<string>(out var text) && text.Contains('<', StringComparison.Ordinal))
                    {
                        obj[key] = NeutralizeTags(text);
                    }
                    else if (child is JsonObject or JsonArray)
                    {
                        NeutralizeCard(child);
                    }
                }

                break;
            case JsonArray arr:
                foreach (var child in arr)
                {
                    NeutralizeCard(child);
                }

                break;
        }
    }

    public static string NeutralizeTags(string text)
    {
        var closed = TagPattern().Replace(text, m => "‹" + m.Groups["inner"].Value + "›");
        return TagStartPattern().Replace(closed, "‹");
    }

    /// <summary>
    /// Text people typed, for a card: tag-like text neutralised and markdown links shown as "label (address)", so a note
    /// cannot dress a link up as something else.
    /// </summary>
    public static string Typed(string text) => NeutralizeTags(LinkPattern().Replace(text, m => $"{m.Groups["label"].Value} ({m.Groups["target"].Value})"));

    private static string EscapeOutside(string text, IReadOnlyList<string> keep)
    {
        var result = new StringBuilder(text.Length + 16);
        var i = 0;
        while (i < text.Length)
        {
            var kept = keep.FirstOrDefault(k => string.CompareOrdinal(text, i, k, 0, k.Length) == 0);
            if (kept is not null)
            {
                result.Append(kept);
                i += kept.Length;
                continue;
            }

            result.Append(text[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                var c => c.ToString(),
            });
            i++;
        }

        return result.ToString();
    }

    [GeneratedRegex(@"<(?<inner>/?[A-Za-z!?][^<>\n]*)>", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"<(?=/?[A-Za-z!?])", RegexOptions.CultureInvariant)]
    private static partial Regex TagStartPattern();

    [GeneratedRegex(@"\[(?<label>[^\[\]\n]*)\]\((?<target>[^()\s]*)\)", RegexOptions.CultureInvariant)]
    private static partial Regex LinkPattern();
}
