
namespace ReleaseTeamsApp.Releases;

/// <summary>
/// An item a signal (GitHub, Azure DevOps, Azure Monitor) ticked or blocked, kept on the release until every holder of
/// the item's role (the Release Manager when nobody holds it) has heard about it in a digest.
/// </summary>
/// <param name="By">The signal's name, e.g. GitHub.</param>
/// <param name="ToldTo">Ids of the people whose digest mentioned it already.</param>
public sealed record SignalNote(string ItemId, string ItemText, ItemStatus Status, ReleaseRole Owner, string By, string? Evidence, DateTimeOffset At, IReadOnlyList<string> ToldTo)
{
    /// <summary>Notes are dropped after this long, heard or not, so the release row stays small.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(14);

    /// <summary>At most this many notes per release (the newest are kept).</summary>
    public const int MaxNotes = 30;

    /// <summary>Whether <paramref name="person"/> owns the item (or is the Release Manager of an unheld role) and has not heard about it.</summary>
    public bool IsNewFor(Release release, Person person)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(person);
        var holders = release.Roles[Owner].Count > 0 ? release.Roles[Owner] : release.Roles[ReleaseRole.ReleaseManager];
        return holders.Any(person.IsSame) && !ToldTo.Contains(person.Id, StringComparer.Ordinal);
    }

    /// <summary>The notes after a new one (replacing an older note of the same item), without expired ones.</summary>
    public static IReadOnlyList<SignalNote> Add(IReadOnlyList<SignalNote> notes, SignalNote note, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentNullException.ThrowIfNull(note);
        return notes.Where(n => n.ItemId != note.ItemId && now - n.At < KeepFor).Append(note).TakeLast(MaxNotes).ToList();
    }

    /// <summary>The notes once <paramref name="person"/> heard about <paramref name="told"/>; a note everyone heard goes.</summary>
    public static IReadOnlyList<SignalNote> Told(Release release, Person person, IReadOnlyCollection<SignalNote> told, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(told);
        var result = new List<SignalNote>();
        foreach (var note in release.SignalNotes.Where(n => now - n.At < KeepFor))
        {
            var updated = told.Any(t => t.ItemId == note.ItemId && t.At == note.At) ? note with { ToldTo = [.. note.ToldTo, person.Id] } : note;
            var holders = release.Roles[note.Owner].Count > 0 ? release.Roles[note.Owner] : release.Roles[ReleaseRole.ReleaseManager];
            if (holders.Count == 0 || holders.Any(h => !updated.ToldTo.Contains(h.Id, StringComparer.Ordinal)))
            {
                result.Add(updated);
            }
        }

        return result;
    }
}
