using System.Globalization;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Metrics;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Closing;

/// <summary>
/// The closing report card posted in the release thread. Closed by the Release Manager it says who closed it, any
/// forced-close reason and where the report downloads are; closed by the follow-up sweep it says every post-release
/// item is settled and lists what finished late.
/// </summary>
internal static class ReleaseReportCard
{
    public const string Template = "release-report";

    /// <summary>The message summary (notification text) of the card.</summary>
    public static string Summary(Release release, Closer closer)
    {
        ArgumentNullException.ThrowIfNull(release);
        return closer is Closer.Manager ? $"Release {release.Version} closed" : $"Release {release.Version} is closed";
    }

    /// <param name="links">Where the report buttons open the stored reports: the channel tab, which downloads them with the viewer's Teams sign-in.</param>
    public static JsonObject Build(ReleaseState state, Closer closer, ReleaseLinks? links = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var release = state.Release;
        var manager = closer as Closer.Manager;
        var late = manager is not null
            ? []
            : state.Items.Where(i => i.LateBy is not null).OrderByDescending(i => i.LateBy).Take(10)
                .Select(i => $"{i.Text} ({i.Owner.DisplayName()}) — {DurationText.Of(i.LateBy!.Value)} late").ToList();
        var reports = new[] { ("Markdown report", "report.md"), ("CSV export", "report.csv") }
            .Select(r => (r.Item1, Url: links?.TabFile(release, r.Item2))).Where(r => r.Url is not null)
            .Select(r => new CardLink(r.Item1, r.Url)).ToList();
        return CardTemplates.Expand(Template, new ReleaseReportCardData(
            Title: Summary(release, closer),
            Size: manager is not null ? "Large" : "Medium",
            HasClosedBy: manager is not null,
            ClosedBy: manager?.Actor.Name,
            ClosedAt: release.ClosedAt is { } at ? release.LocalTextWithZone(at) : "",
            HasText: manager is null,
            Text: "Every post-release item is done or n/a. The report (Markdown and CSV of items with owners, due, done-at and late-by) is stored with the release.",
            HasForced: manager is not null && release.ForcedCloseReason is not null,
            Forced: release.ForcedCloseReason is null ? null : TeamsText.Typed(release.ForcedCloseReason),
            Facts: manager is not null ? ClosedByCommand(state) : ClosedBySweep(state, late.Count),
            HasLate: late.Count > 0,
            Late: late,
            HasDownloads: manager is not null && reports.Count == 0,
            HasReports: reports.Count > 0,
            Reports: reports));
    }

    private static CardFact[] ClosedByCommand(ReleaseState state)
    {
        var release = state.Release;
        var metrics = ReleaseMetrics.Of(state, []);
        return
        [
            Fact("Items settled", $"{state.Items.Count(i => i.IsSettled)} of {state.Items.Count}"),
            Fact("Go/no-go", release.GoNoGo?.Decision is { } d ? $"{(d.Outcome == GoNoGoVote.Go ? "GO" : "NO-GO")} at readiness {d.Score}" : "none recorded"),
            Fact("Deployment", release.Deployment?.Duration is { } dur ? MetricsCard.Minutes(dur) : "not finished"),
            Fact("Rollbacks", release.Rollbacks.Count.ToString(CultureInfo.InvariantCulture)),
            Fact("Items late", metrics.LateItems.Count.ToString(CultureInfo.InvariantCulture)),
        ];
    }

    private static CardFact[] ClosedBySweep(ReleaseState state, int late)
    {
        var release = state.Release;
        return
        [
            Fact("Items", $"{state.Items.Count(i => i.Status == ItemStatus.Done)} done, {state.Items.Count(i => i.Status == ItemStatus.NotApplicable)} n/a, {state.Items.Count(i => !i.IsSettled && i.DueAt is not null)} open"),
            Fact("Finished late", late.ToString(CultureInfo.InvariantCulture)),
            Fact("Deployment", release.Deployment?.Duration is { } d ? DurationText.Of(d) : "not recorded"),
            Fact("Closed", release.ClosedAt is { } closed ? release.LocalTextWithZone(closed) : "—"),
        ];
    }

    private static CardFact Fact(string title, string value) => new(title, value);
}
