using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Metrics;

/// <summary>A release's metrics together with the team's, for the metrics card and the API.</summary>
internal sealed record MetricsView(ReleaseMetrics? Release, TeamMetrics Team);

/// <summary>Reads releases and their audit trails and computes the metrics; the calculations are in <see cref="ReleaseMetrics"/> and <see cref="TeamMetrics"/>.</summary>
public sealed class MetricsReader(IReleaseStore store)
{
    public async Task<ReleaseMetrics?> ForReleaseAsync(string releaseId, CancellationToken cancellationToken)
    {
        var state = await store.GetAsync(releaseId, cancellationToken);
        return state is null ? null : ReleaseMetrics.Of(state, await store.GetAuditAsync(releaseId, cancellationToken));
    }

    public async Task<TeamMetrics> ForTeamAsync(string tenantId, string teamId, CancellationToken cancellationToken)
    {
        var states = new List<ReleaseState>();
        var metrics = new List<ReleaseMetrics>();
        foreach (var summary in await store.ListAsync(tenantId, teamId, cancellationToken))
        {
            if (await store.GetAsync(summary.ReleaseId, cancellationToken) is { } state)
            {
                states.Add(state);
                metrics.Add(ReleaseMetrics.Of(state, await store.GetAuditAsync(summary.ReleaseId, cancellationToken)));
            }
        }

        return TeamMetrics.Of(metrics, states);
    }
}
