using System.Globalization;
using System.Text;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Planning;

/// <summary>
/// The message that tells the owners of moved items that the release moved: one short line per person ("@Dan: 11 items,
/// first due Fri 12 Jun") and one per role nobody holds yet; each item's new due time is on the cards.
/// </summary>
internal static class ReleaseMovedNotice
{
    /// <summary>The message text stays below this (Teams refuses messages above about 28 KB).</summary>
    public const int MaxBytes = 16 * 1024;

    /// <param name="header">The first paragraph: which release moved where, by whom.</param>
    public static Activity Message(Release release, string header, IReadOnlyList<DueTimeMoved> moved)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(moved);
        var message = Activity.CreateMessage(null, TextFormatTypes.Markdown);
        var text = new StringBuilder(header);
        var lines = Lines(release, moved);
        var shown = 0;
        foreach (var line in lines)
        {
            // A mention's text goes into the message verbatim (escaped when the mention is made), or Teams ignores it.
            var who = line.Person is { } person ? Mention.Create(Account(person)).Text! : RoleHolders.UnassignedRole(line.Role);
            var entry = $"\n\n{who}: {Count(line.Items, "item")}, first due {release.ToLocal(line.FirstDue).ToString("ddd d MMM", CultureInfo.InvariantCulture)}{(line.Person is null ? "; nobody holds this role yet" : "")}";
            if (Encoding.UTF8.GetByteCount(text.ToString()) + Encoding.UTF8.GetByteCount(entry) > MaxBytes - 400)
            {
                break;
            }

            if (line.Person is { } mentioned)
            {
                message.AddMentionEntity(Account(mentioned));
            }

            text.Append(entry);
            shown++;
        }

        if (shown < lines.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n\n…and {lines.Count - shown} more owners.");
        }

        text.Append(lines.Any(l => l.Person is null)
            ? "\n\nEach item's new due time is on the cards; the Release Manager assigns the open roles on the summary card."
            : "\n\nEach item's new due time is on the cards.");
        message.Text = text.ToString();
        return message;
    }

    /// <summary>Who is told about how many moved items, soonest first due first: every holder of an owning role, or the role itself when nobody holds it.</summary>
    private static List<Line> Lines(Release release, IReadOnlyList<DueTimeMoved> moved)
    {
        var people = moved
            .SelectMany(m => release.Roles[m.Item.Owner].Select(p => (Person: p, m.To)))
            .GroupBy(x => Account(x.Person).Id, StringComparer.Ordinal)
            .Select(g => new Line(g.First().Person, default, g.Count(), g.Min(x => x.To)));
        var unstaffed = moved
            .Where(m => release.Roles[m.Item.Owner].Count == 0)
            .GroupBy(m => m.Item.Owner)
            .Select(g => new Line(null, g.Key, g.Count(), g.Min(m => m.To)));
        return people.OrderBy(l => l.FirstDue).ThenBy(l => l.Person!.Name, StringComparer.CurrentCulture)
            .Concat(unstaffed.OrderBy(l => l.FirstDue).ThenBy(l => l.Role))
            .ToList();
    }

    // Teams mentions a person by Teams user id, or by Entra object id for someone the bot has not seen yet.
    private static ChannelAccount Account(Person person) =>
        new(person.HasTeamsId || person.AadObjectId is not { Length: > 0 } ? person.Id : person.AadObjectId, person.Name);

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private sealed record Line(Person? Person, ReleaseRole Role, int Items, DateTimeOffset FirstDue);
}
