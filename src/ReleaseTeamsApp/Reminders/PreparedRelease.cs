using Azure.Data.Tables;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Reminders;

/// <summary>A release read in this sweep: the digests it still needs today, and what became of them.</summary>
internal sealed class PreparedRelease(
    Release release,
    SentLedger ledger,
    IReadOnlyList<ReminderDigest> uncovered,
    (string Stamp, IEnumerable<string> Reminded, IEnumerable<string> Escalated)? completion)
{
    public Release Release { get; } = release;

    public SentLedger Ledger { get; } = ledger;

    public IReadOnlyList<ReminderDigest> Uncovered { get; } = uncovered;

    public (string Stamp, IEnumerable<string> Reminded, IEnumerable<string> Escalated)? Completion { get; } = completion;

    /// <summary>Messages listing this release that have not finished yet.</summary>
    public int Pending;

    public bool Incomplete;

    public List<ReminderDigest> Sent { get; } = [];

    /// <summary>The release's ledger row after this sweep; only when every digest it needed is done may later sweeps of the day skip it.</summary>
    public async Task FinishAsync(SentMarks marks)
    {
        var complete = Incomplete ? null : Completion;
        if (Sent.Count == 0 && (complete is not { } done || Ledger.CoversAll(done.Stamp, done.Reminded, done.Escalated)))
        {
            return;
        }

        TableEntity after = Ledger.After(Sent.Select(d => (ReminderDigest.KindName(d.Kind), d.Recipient.Id, d.ItemKeys.AsEnumerable())), complete);
        await marks.AddAsync([], after);
    }
}
