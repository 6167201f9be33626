using ReleaseTeamsApp.Metrics;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;

namespace ReleaseTeamsApp.Tests.Metrics;

public sealed class MetricsCalculationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private static ReleaseState Deployed(string version, DateTimeOffset start, TimeSpan duration, TimeSpan? restoredAfter = null, TimeSpan? lateBy = null)
    {
        var planned = new ReleaseBuilder().WithId(version).WithVersion(version).WithRole(ReleaseRole.ReleaseManager, People.Alice).BuildPlanned();
        var release = planned.Release with { Deployment = new Deployment(start, People.Alice, start + duration, People.Alice), Status = ReleaseStatus.Deployed };
        if (restoredAfter is { } restore)
        {
            release = release with { Status = ReleaseStatus.RolledBack, Rollbacks = [new RollbackEvent("rb", People.Bob, start + duration, "errors") { ApprovedAt = start + duration, RestoredAt = start + duration + restore }] };
        }

        var items = planned.Items.Select(i => i.Id == "planning-scope" && lateBy is { } late && i.DueAt is { } due
            ? i with { Status = ItemStatus.Done, CompletedAt = due + late }
            : i).ToList();
        return ReleaseState.Draft(release, items);
    }

    [Fact]
    public void ReleaseMetrics_KnownTimestamps_GiveDurationIssuesAndLateness()
    {
        var state = Deployed("1.0", T0, TimeSpan.FromMinutes(45), restoredAfter: TimeSpan.FromMinutes(30), lateBy: TimeSpan.FromHours(3));
        var blocked = new AuditEvent("1.0", T0, People.Bob, AuditActions.ItemBlocked, "x");

        var metrics = ReleaseMetrics.Of(state, [blocked, blocked with { ItemId = "y" }]);

        Assert.Equal(TimeSpan.FromMinutes(45), metrics.DeploymentDuration);
        Assert.Equal(3, metrics.IssuesRaised);
        Assert.Equal(1, metrics.RollbackEvents);
        Assert.Equal([TimeSpan.FromMinutes(30)], metrics.TimesToRestore);
        Assert.Equal(TimeSpan.FromHours(3), Assert.Single(metrics.LateItems).LateBy);
    }

    [Fact]
    public void TeamMetrics_FourDeploymentsOverThreeWeeksOneRolledBack_GiveFrequencyFailureRateAndMttr()
    {
        var states = new[]
        {
            Deployed("1.0", T0, TimeSpan.FromMinutes(30), lateBy: TimeSpan.FromHours(1)),
            Deployed("1.1", T0.AddDays(7), TimeSpan.FromMinutes(60), restoredAfter: TimeSpan.FromMinutes(40), lateBy: TimeSpan.FromHours(3)),
            Deployed("1.2", T0.AddDays(14), TimeSpan.FromMinutes(30)),
            Deployed("1.3", T0.AddDays(21), TimeSpan.FromMinutes(40)),
        };

        var team = TeamMetrics.Of(states.Select(s => ReleaseMetrics.Of(s, [])).ToList(), states);

        Assert.Equal(4, team.Deployed);
        Assert.Equal(4.0 / 3.0, team.DeploymentsPerWeek, 6);
        Assert.Equal(0.25, team.ChangeFailureRate);
        Assert.Equal(TimeSpan.FromMinutes(40), team.MeanTimeToRestore);
        Assert.Equal(TimeSpan.FromMinutes(40), team.MeanDeploymentDuration);
        var top = team.ProblemItems[0];
        Assert.Equal("planning-scope", top.ItemId);
        Assert.Equal(2, top.Late);
        Assert.Equal(TimeSpan.FromHours(2), top.AverageLateBy);
    }

    [Fact]
    public void TeamMetrics_NoDeployments_HasNoRatesAndAValidCard()
    {
        var team = TeamMetrics.Of([], []);

        Assert.Equal(0, team.DeploymentsPerWeek);
        Assert.Null(team.ChangeFailureRate);
        AdaptiveCardSchema.AssertValid(ReleaseTeamsApp.Metrics.MetricsCard.Of(new MetricsView(null, team)), "metrics");
    }
}
