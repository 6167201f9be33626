namespace ReleaseTeamsApp.Graph;

/// <summary>Audit actions of the Graph features (the rest of the vocabulary is in <see cref="Releases.AuditActions"/>).</summary>
internal static class GraphAuditActions
{
    public const string StakeholdersChanged = "stakeholders.changed";
    public const string AnnouncementSent = "announcement.sent";
}
