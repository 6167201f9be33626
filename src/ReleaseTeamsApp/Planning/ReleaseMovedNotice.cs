using System.Globalization;
using System.Text;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Planning;

/// <summary>The message that tells each owner which of their items moved when the release date moves, within Teams' message size.</summary>
internal static class ReleaseMovedNotice
{
    /// <summary>Moved items listed per owner; the rest of theirs are counted.</summary>
    public const int MaxItemsPerOwner = 10;

    /// <summary>The message text stays below this (Teams refuses messages above about 28 KB).</summary>
    public const int MaxBytes = 16 * 1024;

    /// <param name="header">The first paragraph: which release moved where, by whom.</param>
    /// <param name="moved">Each moved item with its new due text.</param>
    /// <param name="who">The owners of a role as the message names them (mentions); called only for owners who are listed.</param>
    public static string Text(string header, IReadOnlyList<(ChecklistItem Item, string Due)> moved, Func<ReleaseRole, string> who)
    {
        ArgumentNullException.ThrowIfNull(moved);
        ArgumentNullException.ThrowIfNull(who);
        var text = new StringBuilder(header);
        var listed = 0;
        foreach (var owner in moved.GroupBy(m => m.Item.Owner))
        {
            var items = owner.ToList();
            var group = new StringBuilder("\n\n").Append(who(owner.Key)).Append(": ");
            group.AppendJoin("; ", items.Take(MaxItemsPerOwner).Select(m => $"{ReleaseCards.Shorten(m.Item.Text, 120)} → {m.Due}"));
            if (items.Count > MaxItemsPerOwner)
            {
                group.Append(CultureInfo.InvariantCulture, $"; and {items.Count - MaxItemsPerOwner} more");
            }

            if (Encoding.UTF8.GetByteCount(text.ToString()) + Encoding.UTF8.GetByteCount(group.ToString()) > MaxBytes - 200)
            {
                break;
            }

            text.Append(group);
            listed += items.Count;
        }

        if (listed < moved.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n\n…and {moved.Count - listed} more moved items: open the Release tab (the release dashboard) for every new due time.");
        }

        return text.ToString();
    }
}
