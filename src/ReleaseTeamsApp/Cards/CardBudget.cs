using System.Globalization;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.BotProtocol;

namespace ReleaseTeamsApp.Cards;

/// <summary>Keeps list cards within Teams' message size for any data: as many rows as fit, the rest counted.</summary>
internal static class CardBudget
{
    /// <summary>Teams refuses messages above about 28 KB; cards stay at or below 20 KB, with room for the activity around them.</summary>
    public const int MaxBytes = 19 * 1024;

    /// <summary>
    /// Renders with all <paramref name="rows"/> when that fits, else with the most rows that fit (found by bisection:
    /// a card's size grows with its rows).
    /// </summary>
    public static JsonObject Fit(int rows, Func<int, JsonObject> render)
    {
        ArgumentNullException.ThrowIfNull(render);
        var card = render(rows);
        if (rows == 0 || Bytes(card) <= MaxBytes)
        {
            return card;
        }

        var (low, high) = (0, rows - 1);
        var best = render(0);
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var candidate = render(middle);
            if (Bytes(candidate) <= MaxBytes)
            {
                (best, low) = (candidate, middle + 1);
            }
            else
            {
                high = middle - 1;
            }
        }

        return best;
    }

    /// <summary>The card's size as Teams receives it (UTF-8 JSON as the connector client sends it).</summary>
    public static int Bytes(JsonObject card) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(card, BotJson.Options).Length;

    /// <summary>"…and 14 more items (9 open): open the Release tab for the full list."</summary>
    public static string More(int hidden, int open, string what) =>
        hidden <= 0 ? ""
        : string.Create(CultureInfo.InvariantCulture, $"…and {hidden} more {what}{(open != hidden ? $" ({open} open)" : "")}: open the Release tab (the release dashboard) for the full list.");
}
