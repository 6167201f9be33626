using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Storage;

public static class ReleaseChangeWrites
{
    /// <summary>What the store commits for the change: its release, items and audit rows, or nothing unless it applied.</summary>
    public static ReleaseWrite ToWrite(this ReleaseChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Applied ? new ReleaseWrite(change.Release, change.Items, change.Audit) : ReleaseWrite.Nothing;
    }
}
