namespace ReleaseTeamsApp.Reminders;

/// <summary>What one sweep did.</summary>
/// <param name="Broken">Releases the sweep could not handle (a corrupt row, a failing read); logged and skipped, the others went on.</param>
/// <param name="Unchanged">Releases whose due items all had their digests today already (per the day's ledgers): not read at all.</param>
public sealed record ReminderSweepResult(int DueRows, int Releases, int StaleRemoved, int Postponed, int Sent, int Failed, int Broken = 0, int Unchanged = 0);

/// <summary>The counts of a running sweep, added to from its concurrent reads and sends.</summary>
internal sealed class SweepTotals
{
    public int Releases;
    public int Stale;
    public int Postponed;
    public int Sent;
    public int Failed;
    public int Broken;
    public int Unchanged;

    public ReminderSweepResult Result(int dueRows) => new(dueRows, Releases, Stale, Postponed, Sent, Failed, Broken, Unchanged);
}
