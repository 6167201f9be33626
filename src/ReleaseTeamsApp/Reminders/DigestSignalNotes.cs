using System.Text;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// "Since your last digest": the items a signal ticked or blocked that the digest's recipient owns and has not heard
/// about, one line each with the evidence link; once the digest went out they count as heard.
/// </summary>
internal static class DigestSignalNotes
{
    /// <summary>At most this many lines, newest first, so the message stays short.</summary>
    public const int MaxLines = 10;

    public static IReadOnlyList<SignalNote> For(ReminderDigest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        return digest.Kind == ReminderKind.Reminder
            ? digest.Release.SignalNotes.Where(n => n.IsNewFor(digest.Release, digest.Recipient)).OrderByDescending(n => n.At).Take(MaxLines).ToList()
            : [];
    }

    /// <summary>
    /// The block appended to a person's message of the day: one "Since your last digest" for all its releases, each line
    /// naming its release when the message lists more than one; empty without notes.
    /// </summary>
    public static string Text(ChannelDigest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var parts = digest.Parts.Select(p => (p.Release, Notes: For(p))).ToList();
        var named = parts.Count > 1;
        if (parts.All(p => p.Notes.Count == 0))
        {
            return "";
        }

        var text = new StringBuilder("\n\nSince your last digest:");
        foreach (var (release, notes) in parts)
        {
            foreach (var note in notes)
            {
                var what = note.Status == ItemStatus.Blocked ? "⛔ blocked" : "✅ ticked";
                var evidence = note.Evidence is { Length: > 0 } link ? $" ([evidence]({link}))" : "";
                var where = named ? $"{release.Version} · " : "";
                text.Append($"\n- {where}{what} by {note.By} at {release.LocalText(note.At)}: {Checklist.ReleaseCards.Shorten(note.ItemText, 120)}{evidence}");
            }
        }

        return text.ToString();
    }

    /// <summary>Records that the recipient heard about <paramref name="told"/> (after the digest went out).</summary>
    public static async Task MarkToldAsync(IReleaseStore store, ReminderDigest digest, IReadOnlyList<SignalNote> told, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(told);
        if (told.Count == 0)
        {
            return;
        }

        try
        {
            await store.ChangeAsync(digest.Release.Id, state => ReleaseChange.Record(state.Release with { SignalNotes = SignalNote.Told(state.Release, digest.Recipient, told, now) }), null, cancellationToken);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or ReleaseNotFoundException)
        {
            // The digest went out; unrecorded, the lines only come again in the next one.
        }
    }
}
