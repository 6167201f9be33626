using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;
using static ReleaseTeamsApp.Tests.Testing.JuneRelease;
using static ReleaseTeamsApp.Tests.Testing.PostedDigests;

namespace ReleaseTeamsApp.Tests.Reminders;

/// <summary>
/// The reminder sweep against Azurite. The release is on Tue 16 Jun 2026, 10:00 Europe/Berlin (UTC+2); on Thursday 11 Jun
/// at 12:00 the -14d and -12d items are overdue by days, the -5d items by two hours and the -4d items are due tomorrow.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class ReminderSweepTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RunAsync_ItemsDueForSeveralOwners_PostsOneDigestPerPersonWithMentionInText()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var planned = await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));

        var result = await harness.Sweep.RunAsync(CancellationToken.None);

        var reminders = Reminders(harness);
        Assert.Equal(["29:alice", "29:bob", "29:carol", "29:dave", "29:frank"], reminders.Select(Recipient).Order());
        Assert.Equal(6, result.Sent);
        AssertDigestsWellFormed(harness.Connector.Activities);
        var dave = CardText(reminders.Single(a => Recipient(a) == "29:dave"));
        Assert.Contains(planned.Item("planning-prs-merged").Text, dave);
        Assert.Contains(planned.Item("team-dev-complete").Text, dave);
        Assert.Contains("Fri 12 Jun 10:00", dave);
        Assert.Contains("\"view\":\"my-items\"", dave);
        Assert.DoesNotContain(planned.Item("team-automation-coverage").Text, dave);
    }

    [Fact]
    public async Task RunAsync_RunAgainWithNothingNew_SendsNothing()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));
        await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromMinutes(5));

        var again = await harness.Sweep.RunAsync(CancellationToken.None);

        Assert.Equal(0, again.Sent);
        Assert.Equal(6, harness.Connector.Activities.Count);
    }

    [Fact]
    public async Task RunAsync_TodaysLedgerLost_ClaimsStillPreventAnyRepeat()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var planned = await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));
        await harness.Sweep.RunAsync(CancellationToken.None);
        var day = ReminderDigest.Day(planned.Release, harness.Time.GetUtcNow());
        var ledger = await harness.Markers.LedgerAsync(planned.Release.Id, day, CancellationToken.None);
        await harness.Tables.Reminders.DeleteEntityAsync(SentMarkers.DayPartition(day), SentMarkers.LedgerRow(planned.Release.Id));
        harness.Time.Advance(TimeSpan.FromMinutes(5));

        var again = await harness.Sweep.RunAsync(CancellationToken.None);

        Assert.NotEmpty(ledger.Covered);
        Assert.Equal(0, again.Sent);
        Assert.Equal(6, harness.Connector.Activities.Count);
    }

    [Fact]
    public async Task RunAsync_TwoSweepsConcurrently_SendEachDigestOnce()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));

        var results = await Task.WhenAll(harness.Sweep.RunAsync(CancellationToken.None), harness.Sweep.RunAsync(CancellationToken.None));

        Assert.Equal(6, results.Sum(r => r.Sent));
        Assert.Equal(6, harness.Connector.Activities.Select(a => (Recipient(a), a.Summary)).Distinct().Count());
        Assert.Equal(6, harness.Connector.Activities.Count);
    }

    [Fact]
    public async Task RunAsync_ClaimWrittenButSweepCrashedBeforeSending_NextSweepAfterLeaseSendsExactlyOnce()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var planned = await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));
        var state = await harness.Store.GetAsync(planned.Release.Id, CancellationToken.None);
        var daves = ReminderPlan.Digests(state!.Release, state.Items, harness.Time.GetUtcNow(), harness.Options).Single(d => d.Recipient.Id == "29:dave");
        Assert.NotNull(await harness.Markers.TryClaimAsync(SentMarkers.Send(daves, harness.Time.GetUtcNow()), CancellationToken.None));

        await harness.Sweep.RunAsync(CancellationToken.None);
        var whileLeased = harness.Connector.Activities.Count(a => Recipient(a) == "29:dave");
        harness.Time.Advance(harness.Options.ClaimLease + TimeSpan.FromMinutes(1));
        await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        await harness.Sweep.RunAsync(CancellationToken.None);

        Assert.Equal(0, whileLeased);
        Assert.Single(harness.Connector.Activities, a => Recipient(a) == "29:dave");
        Assert.Equal(6, harness.Connector.Activities.Count);
    }

    [Fact]
    public async Task RunAsync_SendFailed_NextSweepRetriesAndSendsOnce()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));
        harness.Connector.FailNext = 1;

        var first = await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await harness.Sweep.RunAsync(CancellationToken.None);

        Assert.Equal((5, 1), (first.Sent, first.Failed));
        Assert.Equal((1, 0), (second.Sent, second.Failed));
        Assert.Equal(6, harness.Connector.Activities.Select(a => (Recipient(a), a.Summary)).Distinct().Count());
    }

    [Fact]
    public async Task RunAsync_QuietHoursInReleaseTimeZone_PostponesUntilMorning()
    {
        var harness = new ReminderHarness(azurite, new DateTimeOffset(2026, 6, 11, 21, 0, 0, TimeSpan.FromHours(2)));
        await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));

        var night = await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromHours(11) + TimeSpan.FromMinutes(5));
        var morning = await harness.Sweep.RunAsync(CancellationToken.None);

        Assert.Equal((0, 1), (night.Sent, night.Postponed));
        Assert.True(morning.Sent > 0);
        Assert.Equal(morning.Sent, harness.Connector.Activities.Count);
    }

    [Fact]
    public async Task RunAsync_Weekend_PostponesUntilMondayMorning()
    {
        var harness = new ReminderHarness(azurite, new DateTimeOffset(2026, 6, 13, 11, 0, 0, TimeSpan.FromHours(2)));
        await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));

        var saturday = await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromDays(1));
        var sunday = await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Time.SetUtcNow(new DateTimeOffset(2026, 6, 15, 8, 5, 0, TimeSpan.FromHours(2)));
        var monday = await harness.Sweep.RunAsync(CancellationToken.None);

        Assert.Equal((0, 0), (saturday.Sent, sunday.Sent));
        Assert.True(monday.Sent > 0);
        Assert.All(Reminders(harness).GroupBy(Recipient), g => Assert.Single(g));
    }

    [Fact]
    public async Task RunAsync_AfterThreeDaysWithoutSweeps_CatchesUpInOneDigestPerPerson()
    {
        var harness = new ReminderHarness(azurite, new DateTimeOffset(2026, 6, 8, 12, 0, 0, TimeSpan.FromHours(2)));
        var planned = await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));
        await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Connector.Clear();
        harness.Time.Advance(TimeSpan.FromDays(3));

        await harness.Sweep.RunAsync(CancellationToken.None);

        var reminders = Reminders(harness);
        Assert.Equal(["29:alice", "29:bob", "29:carol", "29:dave", "29:frank"], reminders.Select(Recipient).Order());
        var frank = CardText(reminders.Single(a => Recipient(a) == "29:frank"));
        Assert.Contains(planned.Item("planning-release-notes").Text, frank);
        Assert.Contains(planned.Item("planning-breaking-changes").Text, frank);
        AssertDigestsWellFormed(harness.Connector.Activities);
    }

    [Fact]
    public async Task RunAsync_OverdueBeyondEscalationAndUnassignedRole_ReachTheReleaseManager()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var planned = await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16).WithoutRole(ReleaseRole.TechnicalWriter));

        await harness.Sweep.RunAsync(CancellationToken.None);

        var escalation = Assert.Single(harness.Connector.Activities, a => a.Summary!.StartsWith("Escalation", StringComparison.Ordinal));
        Assert.Equal("29:alice", Recipient(escalation));
        var escalated = CardText(escalation);
        Assert.Contains(planned.Item("planning-date-window").Text, escalated);
        Assert.Contains(planned.Item("planning-scope").Text, escalated);
        Assert.DoesNotContain(planned.Item("planning-prs-merged").Text, escalated);
        var alice = CardText(Reminders(harness).Single(a => Recipient(a) == "29:alice"));
        Assert.Contains(planned.Item("planning-release-notes").Text, alice);
        Assert.DoesNotContain(harness.Connector.Activities, a => Recipient(a) == "29:frank");
        AssertDigestsWellFormed(harness.Connector.Activities);
    }

    [Fact]
    public async Task RunAsync_NewItemBecomesDueLaterTheSameDay_WaitsForTheOwnersMessageOfTheNextDay()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon.AddHours(-3));
        var planned = await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));
        await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromHours(3));
        await harness.Sweep.RunAsync(CancellationToken.None);
        var thursday = Reminders(harness);
        harness.Connector.Clear();

        harness.Time.SetUtcNow(new DateTimeOffset(2026, 6, 12, 8, 5, 0, TimeSpan.FromHours(2)));
        await harness.Sweep.RunAsync(CancellationToken.None);

        // The -4d items (Fri 10:00) entered the 24 h window at 10:00 on Thursday: at most one message a day, so Dave, who
        // had his at 09:00, hears about them in Friday's message, which lists them with everything else still open.
        Assert.All(thursday.GroupBy(Recipient), g => Assert.Single(g));
        Assert.DoesNotContain("Fri 12 Jun 10:00", CardText(thursday.Single(a => Recipient(a) == "29:dave")), StringComparison.Ordinal);
        var friday = Reminders(harness).Single(a => Recipient(a) == "29:dave");
        Assert.Contains("Fri 12 Jun 10:00", CardText(friday), StringComparison.Ordinal);
        Assert.Contains(planned.Item("team-dev-complete").Text, CardText(friday), StringComparison.Ordinal);
        Assert.All(Reminders(harness).GroupBy(Recipient), g => Assert.Single(g));
    }

    [Fact]
    public async Task RunAsync_TwoReleasesInOneChannel_OneMessagePerPersonGroupedByRelease()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var first = await harness.CreateAsync(new ReleaseBuilder().WithVersion("7.1.0").On(2026, 6, 16));
        var second = await harness.CreateAsync(new ReleaseBuilder().WithVersion("7.2.0").On(2026, 6, 17));

        var result = await harness.Sweep.RunAsync(CancellationToken.None);

        Assert.Equal(6, result.Sent);
        Assert.All(harness.Connector.Activities.GroupBy(a => (Recipient(a), a.Summary!.StartsWith("Escalation", StringComparison.Ordinal))), g => Assert.Single(g));
        var dave = Reminders(harness).Single(a => Recipient(a) == "29:dave");
        Assert.Contains("releases 7.1.0, 7.2.0", dave.Text, StringComparison.Ordinal);
        var card = CardText(dave);
        Assert.Contains("Release 7.1.0", card, StringComparison.Ordinal);
        Assert.Contains("Release 7.2.0", card, StringComparison.Ordinal);
        Assert.Contains(first.Release.Id, card, StringComparison.Ordinal);
        Assert.Contains(second.Release.Id, card, StringComparison.Ordinal);
        AssertDigestsWellFormed(harness.Connector.Activities);
    }

    [Fact]
    public async Task RunAsync_ReleaseMovedAndItemSettled_UsesNewDueTimesAndRemovesStaleIndexRows()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var planned = await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));
        await harness.SettleAsync(planned.Release.Id, i => i.Id == "team-automation-coverage");
        // The Release Manager's "move release <v> to <date>".
        await harness.Store.UpdateAsync(planned.Release.Id, state => Planning.MoveCommand.Decide(state, People.Alice, new DateOnly(2026, 6, 30), harness.Time.GetUtcNow()), null, CancellationToken.None);

        var afterMove = await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Time.SetUtcNow(new DateTimeOffset(2026, 6, 25, 12, 0, 0, TimeSpan.FromHours(2)));
        await harness.Sweep.RunAsync(CancellationToken.None);

        Assert.Equal(0, afterMove.Sent);
        Assert.Equal(7, afterMove.StaleRemoved);
        var oldWindow = await harness.Store.GetDueAsync(ThursdayNoon.AddDays(-30), ThursdayNoon.AddDays(1), CancellationToken.None);
        Assert.DoesNotContain(oldWindow, e => e.ReleaseId == planned.Release.Id);
        var dave = CardText(Reminders(harness).Single(a => Recipient(a) == "29:dave"));
        Assert.Contains("Fri 26 Jun 10:00", dave);
        Assert.DoesNotContain(Reminders(harness), a => CardText(a).Contains(planned.Item("team-automation-coverage").Text, StringComparison.Ordinal));
    }

    internal static void AssertDigestsWellFormed(IEnumerable<Activity> activities)
    {
        foreach (var activity in activities)
        {
            var mention = Assert.Single(activity.GetMentions());
            Assert.Contains(mention.Text!, activity.Text, StringComparison.Ordinal);
            AdaptiveCardSchema.AssertValid(RecordingConnector.CardOf(activity), activity.Summary ?? "digest");
        }
    }

    private static List<Activity> Reminders(ReminderHarness harness) =>
        harness.Connector.Activities.Where(a => !a.Summary!.StartsWith("Escalation", StringComparison.Ordinal)).ToList();

    private static string CardText(Activity activity) => RecordingConnector.CardOf(activity).ToJsonString();
}
