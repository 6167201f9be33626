using System.Globalization;
using ReleaseTeamsApp.Metrics;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Tab;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>Fills the tab's go/no-go, deployment and metrics sections from the release-day model.</summary>
internal sealed class ReleaseDayDashboardSection(IReleaseStore store) : IReleaseDashboardSection
{
    public async ValueTask<ReleaseDashboard> AddToAsync(ReleaseDashboard dashboard, ReleaseState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        ArgumentNullException.ThrowIfNull(state);
        var release = state.Release;
        var readiness = Readiness.Of(state);
        var decision = release.GoNoGo?.Decision;
        var checks = new List<ReadinessCheck>
        {
            new($"Required pre-release items ({readiness.RequiredDone}/{readiness.RequiredTotal})", readiness.OpenRequired.Count == 0),
            new("No open blockers", readiness.Blockers.Count == 0, readiness.Blockers.Count == 0 ? null : string.Join("; ", readiness.Blockers.Select(b => b.Text))),
        };
        checks.AddRange(readiness.SignOffs.Select(s => new ReadinessCheck($"{s.Role.DisplayName()} sign-off", s.SignedOff, s.Vetoed ? "no-go (veto)" : s.SignedOff ? "go" : "waiting")));
        var goNoGo = new GoNoGoSection(
            decision is null ? "pending" : decision.Outcome == GoNoGoVote.Go ? "go" : "no-go",
            decision?.At,
            decision?.DecidedBy.Name,
            string.Create(CultureInfo.InvariantCulture, $"readiness {readiness.Score}/100") + (decision?.OverrideReason is { } reason ? $"; override: {reason}" : ""),
            checks);

        var metrics = ReleaseMetrics.Of(state, await store.GetAuditAsync(release.Id, cancellationToken));
        var lastRollback = release.Rollbacks.LastOrDefault(r => r.IsApproved);
        var deployment = new DeploymentSection(
            release.Deployment?.StartedAt,
            release.Deployment?.FinishedAt,
            release.Deployment?.Duration?.TotalMinutes,
            metrics.IssuesRaised,
            lastRollback?.ApprovedAt,
            lastRollback?.Reason);
        var values = new List<MetricValue>
        {
            new("Deployment duration", metrics.DeploymentDuration is { } d ? Metrics.MetricsCard.Minutes(d) : "—"),
            new("Issues raised", metrics.IssuesRaised.ToString(CultureInfo.InvariantCulture), "blocks + rollbacks"),
            new("Rollback events", metrics.RollbackEvents.ToString(CultureInfo.InvariantCulture)),
            new("Items late", metrics.LateItems.Count.ToString(CultureInfo.InvariantCulture), metrics.LateItems.Count == 0 ? null : $"{Metrics.MetricsCard.Minutes(metrics.TotalLateness)} in total"),
        };
        return dashboard with { GoNoGo = goNoGo, Deployment = deployment, Metrics = new MetricsSection(values) };
    }
}
