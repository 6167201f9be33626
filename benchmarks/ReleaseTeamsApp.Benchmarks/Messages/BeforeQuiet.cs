using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Benchmarks.Messages;

/// <summary>
/// What the sweep posted before quiet-by-design (before commit 3504208), worked out from the same sweeps: the sweep's own
/// plan (<see cref="ReminderPlan.Digests"/>, same quiet hours and windows) over the release as it stands at each sweep,
/// counted with the marker that code used — release | day | kind | person | hash of the items — so each release sent
/// every person one message per day and per new set of items, and the Release Manager one escalation per release and
/// per new set of overdue items, each listing every item.
/// </summary>
internal sealed class BeforeQuiet(RemindersOptions options)
{
    public const string Explanation =
        "the current sweep's plan at the same sweeps, counted with the marker the code used before commit 3504208 (release | local day | kind | person | set of items): "
        + "one message per release, person and day, and another whenever the set of due items changed later that day; one escalation per release and set of items overdue beyond the limit, listing them all.";

    private readonly HashSet<string> _sent = new(StringComparer.Ordinal);

    public List<(string Recipient, string Day, bool Escalation, int Rows)> Messages { get; } = [];

    public void Sweep(ReleaseState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var release = state.Release;
        if (release.Status == ReleaseStatus.Closed || release.Thread is null || release.RemindersMuted || QuietHours.IsQuiet(release, now, options))
        {
            return;
        }

        // The sweep read the due index for [now - Lookback, now + DueSoon): open items with a due time in that window.
        var due = state.Items.Where(i => !i.IsSettled && i.DueAt is { } at && at >= now - options.Lookback && at < now + options.DueSoon);
        var day = ReminderDigest.Day(release, now);
        foreach (var digest in ReminderPlan.Digests(release, due, now, options))
        {
            if (_sent.Add($"{release.Id}|{day}|{ReminderDigest.KindName(digest.Kind)}|{digest.Recipient.Id}|{string.Join(",", digest.ItemKeys)}"))
            {
                Messages.Add((digest.Recipient.Id, MessagesBenchmark.Day(now), digest.Kind == ReminderKind.Escalation, digest.Items.Count));
            }
        }
    }
}
