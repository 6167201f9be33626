using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Metrics;

/// <summary>A settled item that was done after its due time, by how much.</summary>
public sealed record LateItem(string ItemId, string Text, TimeSpan LateBy);

/// <summary>
/// One release's deployment metrics (seed: "duration, issues, rollback events"). Issues raised = items blocked in the
/// audit trail (each block counts) + rollbacks raised. Items late = items settled after their due time.
/// </summary>
public sealed record ReleaseMetrics(
    string ReleaseId,
    string Version,
    ReleaseStatus Status,
    DateTimeOffset? DeployedAt,
    TimeSpan? DeploymentDuration,
    int IssuesRaised,
    int RollbackEvents,
    IReadOnlyList<TimeSpan> TimesToRestore,
    IReadOnlyList<LateItem> LateItems,
    IReadOnlyList<string> SkippedItemIds)
{
    public TimeSpan TotalLateness => LateItems.Aggregate(TimeSpan.Zero, (sum, i) => sum + i.LateBy);

    public static ReleaseMetrics Of(ReleaseState state, IReadOnlyList<AuditEvent> audit)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(audit);
        var release = state.Release;
        var blocks = audit.Count(a => a.Action == AuditActions.ItemBlocked);
        var late = state.Items.Where(i => i.LateBy is not null).Select(i => new LateItem(i.Id, i.Text, i.LateBy!.Value)).OrderByDescending(i => i.LateBy).ToList();
        var skipped = state.Items.Where(i => i.Status == ItemStatus.NotApplicable).Select(i => i.Id).ToList();
        return new ReleaseMetrics(
            release.Id,
            release.Version,
            release.Status,
            release.Deployment?.StartedAt,
            release.Deployment?.Duration,
            blocks + release.Rollbacks.Count,
            release.Rollbacks.Count,
            release.Rollbacks.Select(r => r.TimeToRestore ?? RestoredByChecklist(state, r)).OfType<TimeSpan>().ToList(),
            late,
            skipped);
    }

    /// <summary>A rollback whose rollback.restore item ("Rollback procedure executed") was ticked on the card is restored at that tick.</summary>
    private static TimeSpan? RestoredByChecklist(ReleaseState state, RollbackEvent rollback) =>
        rollback.IsApproved && ItemBehaviours.Find(state, ItemBehaviour.RollbackRestore) is { Status: ItemStatus.Done, CompletedAt: { } at } && at >= rollback.RaisedAt ? at - rollback.RaisedAt : null;
}

/// <summary>How often a template item was late or skipped across the team's releases.</summary>
public sealed record ItemTrend(string ItemId, string Text, int Late, int Skipped, TimeSpan AverageLateBy);

/// <summary>
/// The team's delivery metrics over its releases (DORA-style):
/// deployment frequency = deployed releases ÷ weeks between the first and the last deployment (at least one week);
/// change failure rate = deployed releases with a rollback ÷ deployed releases;
/// mean time to restore = average of rollback raised → restored over restored rollbacks;
/// items most often late or skipped = template items by id, counted over the releases.
/// </summary>
public sealed record TeamMetrics(
    int Releases,
    int Deployed,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd,
    double DeploymentsPerWeek,
    double? ChangeFailureRate,
    TimeSpan? MeanTimeToRestore,
    TimeSpan? MeanDeploymentDuration,
    IReadOnlyList<ItemTrend> ProblemItems)
{
    public const int TopItems = 5;

    public static TeamMetrics Of(IReadOnlyList<ReleaseMetrics> releases, IReadOnlyList<ReleaseState> states)
    {
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(states);
        var deployed = releases.Where(r => r.DeployedAt is not null).ToList();
        DateTimeOffset? start = deployed.Count == 0 ? null : deployed.Min(r => r.DeployedAt!.Value);
        DateTimeOffset? end = deployed.Count == 0 ? null : deployed.Max(r => r.DeployedAt!.Value);
        var weeks = start is null ? 0 : Math.Max(1.0, (end!.Value - start.Value).TotalDays / 7);
        var perWeek = deployed.Count == 0 ? 0 : deployed.Count / weeks;
        double? failureRate = deployed.Count == 0 ? null : (double)deployed.Count(r => r.RollbackEvents > 0) / deployed.Count;
        var restores = releases.SelectMany(r => r.TimesToRestore).ToList();
        TimeSpan? mttr = restores.Count == 0 ? null : TimeSpan.FromTicks((long)restores.Average(t => t.Ticks));
        var durations = releases.Where(r => r.DeploymentDuration is not null).Select(r => r.DeploymentDuration!.Value).ToList();
        TimeSpan? meanDuration = durations.Count == 0 ? null : TimeSpan.FromTicks((long)durations.Average(t => t.Ticks));

        var texts = states.SelectMany(s => s.Items).GroupBy(i => i.Id).ToDictionary(g => g.Key, g => g.First().Text, StringComparer.Ordinal);
        var late = releases.SelectMany(r => r.LateItems).GroupBy(i => i.ItemId).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var skipped = releases.SelectMany(r => r.SkippedItemIds).GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var trends = late.Keys.Union(skipped.Keys)
            .Select(id => new ItemTrend(
                id,
                texts.GetValueOrDefault(id, id),
                late.TryGetValue(id, out var l) ? l.Count : 0,
                skipped.GetValueOrDefault(id),
                late.TryGetValue(id, out var ls) ? TimeSpan.FromTicks((long)ls.Average(x => x.LateBy.Ticks)) : TimeSpan.Zero))
            .OrderByDescending(t => t.Late + t.Skipped).ThenByDescending(t => t.AverageLateBy).ThenBy(t => t.ItemId, StringComparer.Ordinal)
            .Take(TopItems)
            .ToList();

        return new TeamMetrics(releases.Count, deployed.Count, start, end, perWeek, failureRate, mttr, meanDuration, trends);
    }
}
