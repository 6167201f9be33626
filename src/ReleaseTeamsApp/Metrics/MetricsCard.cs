using System.Globalization;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Checklist;

namespace ReleaseTeamsApp.Metrics;

/// <summary>The metrics card: one release's deployment metrics and the team's across its releases.</summary>
internal static class MetricsCard
{
    public const string MetricsTemplate = "metrics";

    public static JsonObject Of(MetricsView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var team = view.Team;
        var release = view.Release;
        return CardTemplates.Expand(MetricsTemplate, new MetricsCardData(
            HasRelease: release is not null,
            Release: release is null ? null : new MetricsCardRelease(
                release.Version,
                [
                    Fact("Status", release.Status.ToString()),
                    Fact("Deployment duration", release.DeploymentDuration is { } d ? Minutes(d) : "not deployed"),
                    Fact("Issues raised", release.IssuesRaised.ToString(CultureInfo.InvariantCulture)),
                    Fact("Rollback events", release.RollbackEvents.ToString(CultureInfo.InvariantCulture)),
                    Fact("Time to restore", release.TimesToRestore.Count == 0 ? "—" : string.Join(", ", release.TimesToRestore.Select(Minutes))),
                    Fact("Items late", release.LateItems.Count == 0 ? "none" : $"{release.LateItems.Count}, {Minutes(release.TotalLateness)} in total; most: {release.LateItems[0].Text} ({Minutes(release.LateItems[0].LateBy)})"),
                ]),
            Team: new MetricsCardTeam(
                team.PeriodStart is { } from ? $"{from:yyyy-MM-dd} – {team.PeriodEnd:yyyy-MM-dd}" : "no deployments yet",
                [
                    Fact("Releases / deployed", $"{team.Releases} / {team.Deployed}"),
                    Fact("Deployment frequency", string.Create(CultureInfo.InvariantCulture, $"{team.DeploymentsPerWeek:0.##} per week")),
                    Fact("Change failure rate", team.ChangeFailureRate is { } rate ? string.Create(CultureInfo.InvariantCulture, $"{rate:P0}") : "—"),
                    Fact("Mean time to restore", team.MeanTimeToRestore is { } mttr ? Minutes(mttr) : "—"),
                    Fact("Mean deployment duration", team.MeanDeploymentDuration is { } mean ? Minutes(mean) : "—"),
                ]),
            HasTrends: team.ProblemItems.Count > 0,
            Trends: team.ProblemItems.Select(t => new MetricsTrend($"{t.Text}: late {t.Late}× (avg {Minutes(t.AverageLateBy)}), skipped {t.Skipped}×")).ToList(),
            Definitions: "Frequency = deployed releases ÷ weeks from first to last deployment (min. 1). Failure rate = deployed releases with a rollback ÷ deployed releases. Time to restore = rollback raised → restored. Issues = blocks + rollbacks."));
    }

    public static string Minutes(TimeSpan span) => span.TotalMinutes < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(span.TotalMinutes):0} min")
        : DurationText.Of(span);

    private static CardFact Fact(string title, string value) => new(title, value);
}
