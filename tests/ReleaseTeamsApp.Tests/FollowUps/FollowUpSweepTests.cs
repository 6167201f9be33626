using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Closing;
using ReleaseTeamsApp.FollowUps;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Reminders;
using ReleaseTeamsApp.Tests.Testing;

namespace ReleaseTeamsApp.Tests.FollowUps;

/// <summary>Post-release follow-ups of a release deployed on Tue 16 Jun 2026, 10:00–11:00 Europe/Berlin.</summary>
[Collection(AzuriteTests.Name)]
public sealed class FollowUpSweepTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Started = new(2026, 6, 16, 10, 0, 0, TimeSpan.FromHours(2));
    private static readonly DateTimeOffset Finished = Started.AddHours(1);

    [Fact]
    public async Task RunAsync_OverTwoDaysAfterDeployment_PostsEachCheckInOnceAtPlus24hAndPlus48h()
    {
        var harness = new ReminderHarness(azurite, Finished.AddMinutes(65));
        await CreateDeployedAsync(harness);
        var posted = new List<(TimeSpan After, string Title)>();

        foreach (var after in new[] { 65, 70, 24 * 60 - 5, 24 * 60 + 5, 24 * 60 + 10, 48 * 60 + 5, 48 * 60 + 10 })
        {
            harness.Time.SetUtcNow(Finished.AddMinutes(after));
            harness.Connector.Clear();
            await harness.FollowUps.RunAsync(CancellationToken.None);
            posted.AddRange(harness.Connector.Activities.Select(a => (TimeSpan.FromMinutes(after), a.Summary!)));
        }

        Assert.Equal(
            [
                (TimeSpan.FromMinutes(65), "Release 2.9.0: capture the deployment metrics"),
                (TimeSpan.FromMinutes(24 * 60 + 5), "Release 2.9.0: 24 hours after deployment"),
                (TimeSpan.FromMinutes(24 * 60 + 5), "Release 2.9.0: hand off to support"),
                (TimeSpan.FromMinutes(48 * 60 + 5), "Release 2.9.0: 48 hours after deployment"),
            ],
            posted.OrderBy(p => p.After).ThenBy(p => p.Title, StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunAsync_CheckInDue_MentionsTheEngineeringLeadWithConfirmAndRaiseIssueButtons()
    {
        var harness = new ReminderHarness(azurite, Finished.AddHours(24).AddMinutes(5));
        await CreateDeployedAsync(harness);

        await harness.FollowUps.RunAsync(CancellationToken.None);

        var checkIn = Assert.Single(harness.Connector.Activities, a => a.Summary!.Contains("24 hours", StringComparison.Ordinal));
        var mention = Assert.Single(checkIn.GetMentions());
        Assert.Equal("29:dave", mention.Mentioned!.Id);
        Assert.StartsWith(mention.Text!, checkIn.Text, StringComparison.Ordinal);
        var card = RecordingConnector.CardOf(checkIn).ToJsonString();
        Assert.Contains("\"verb\":\"item.complete\"", card);
        Assert.Contains("\"verb\":\"item.block\"", card);
        Assert.Contains("\"item\":\"deploy-no-critical-errors\"", card);
        foreach (var activity in harness.Connector.Activities)
        {
            AdaptiveCardSchema.AssertValid(RecordingConnector.CardOf(activity), activity.Summary!);
        }
    }

    [Fact]
    public async Task RunAsync_AfterDeployment_RequestsTheRetrospectiveOnce()
    {
        var harness = new ReminderHarness(azurite, Finished.AddMinutes(5));
        var planned = await CreateDeployedAsync(harness);

        await harness.FollowUps.RunAsync(CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromHours(30));
        await harness.FollowUps.RunAsync(CancellationToken.None);

        var rows = await harness.Outbox.ListRowsAsync(planned.Release.Id, CancellationToken.None);
        Assert.Single(rows);
    }

    [Fact]
    public async Task RunAsync_EveryPostReleaseItemSettled_ClosesTheReleaseWithStoredReportOnce()
    {
        var harness = new ReminderHarness(azurite, Finished.AddDays(3));
        var planned = await CreateDeployedAsync(harness);
        await harness.SettleAsync(planned.Release.Id, i => i.PhaseId == "post-release" || i.Behaviour is ItemBehaviour.MonitoringCheckIn24h or ItemBehaviour.MonitoringCheckIn48h);

        var first = await harness.FollowUps.RunAsync(CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await harness.FollowUps.RunAsync(CancellationToken.None);

        Assert.Equal((1, 0), (first.Closed, second.Closed));
        var stored = await harness.Store.GetAsync(planned.Release.Id, CancellationToken.None);
        Assert.Equal(ReleaseStatus.Closed, stored!.Release.Status);
        Assert.Equal(harness.Time.GetUtcNow().AddMinutes(-5), stored.Release.ClosedAt);
        Assert.Single(await harness.Store.GetAuditAsync(planned.Release.Id, CancellationToken.None), a => a.Action == AuditActions.ReleaseClosed);
        var markdown = await harness.Store.GetReportAsync(planned.Release.Id, ReleaseReportFormat.Markdown, CancellationToken.None);
        var csv = await harness.Store.GetReportAsync(planned.Release.Id, ReleaseReportFormat.Csv, CancellationToken.None);
        Assert.Contains("# Release 2.9.0", markdown);
        Assert.StartsWith(ReleaseReport.CsvHeader, csv);
        Assert.Contains("handoff-support", csv);
        var report = Assert.Single(harness.Connector.Activities, a => a.Summary == "Release 2.9.0 is closed");
        AdaptiveCardSchema.AssertValid(RecordingConnector.CardOf(report), "closing report");
    }

    [Fact]
    public async Task RunAsync_PostReleaseItemsStillOpen_KeepsTheReleaseOpen()
    {
        var harness = new ReminderHarness(azurite, Finished.AddDays(3));
        var planned = await CreateDeployedAsync(harness);
        await harness.SettleAsync(planned.Release.Id, i => i.PhaseId == "post-release" && i.Id != "handoff-escalation");

        var result = await harness.FollowUps.RunAsync(CancellationToken.None);

        Assert.Equal(0, result.Closed);
        Assert.NotEqual(ReleaseStatus.Closed, (await harness.Store.GetAsync(planned.Release.Id, CancellationToken.None))!.Release.Status);
    }

    private static Task<PlannedRelease> CreateDeployedAsync(ReminderHarness harness) =>
        harness.CreateAsync(new ReleaseBuilder().WithVersion("2.9.0").On(2026, 6, 16), release => release with
        {
            Status = ReleaseStatus.Deployed,
            Deployment = new Deployment(Started, People.Alice, Finished, People.Alice),
        });
}
