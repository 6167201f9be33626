using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;
using static ReleaseTeamsApp.Tests.Testing.JuneRelease;
using static ReleaseTeamsApp.Tests.Testing.PostedDigests;

namespace ReleaseTeamsApp.Tests.Reminders;

/// <summary>
/// The Release Manager's escalation says what changed since the previous one instead of relisting everything overdue.
/// The release is on Tue 16 Jun 2026, 10:00 Europe/Berlin: on Thursday 11 Jun at 12:00 the -14d and -12d items are
/// overdue beyond a day, on Friday the -5d items join them, on Monday the -4d, -3d and -2d items.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class EscalationChangeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RunAsync_FirstEscalationOfARelease_SaysSoAndListsEveryOverdueItem()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var planned = await harness.CreateAsync(new ReleaseBuilder().WithVersion("2.4.0").On(2026, 6, 16));

        await harness.Sweep.RunAsync(CancellationToken.None);

        var escalation = Escalation(harness);
        Assert.Contains("First escalation of 2.4.0: 2 items overdue beyond the limit, nothing earlier to compare with.", Card(escalation), StringComparison.Ordinal);
        Assert.Contains(planned.Item("planning-date-window").Text, Card(escalation), StringComparison.Ordinal);
        Assert.Contains(planned.Item("planning-scope").Text, Card(escalation), StringComparison.Ordinal);
        Assert.StartsWith("<at>", escalation.Text, StringComparison.Ordinal);
        Assert.Contains("2 items of release 2.4.0 are overdue beyond the escalation limit", escalation.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NextDayWithOneDoneAndThreeNewlyOverdue_ListsOnlyTheNewOnesAndCountsTheRest()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var planned = await harness.CreateAsync(new ReleaseBuilder().WithVersion("2.4.0").On(2026, 6, 16));
        await harness.Sweep.RunAsync(CancellationToken.None);
        await harness.SettleAsync(planned.Release.Id, i => i.Id == "planning-scope");
        harness.Connector.Clear();
        harness.Time.SetUtcNow(ThursdayNoon.AddDays(1));

        await harness.Sweep.RunAsync(CancellationToken.None);

        var escalation = Escalation(harness);
        var card = Card(escalation);
        Assert.Contains("Since the escalation of Thu 11 Jun: 3 newly overdue (below), 1 done, 1 still overdue (on the dashboard).", card, StringComparison.Ordinal);
        foreach (var id in new[] { "planning-prs-merged", "planning-release-notes", "planning-breaking-changes" })
        {
            Assert.Contains(planned.Item(id).Text, card, StringComparison.Ordinal);
        }

        // Still overdue: counted, not listed again; done since: named once, without a button.
        Assert.DoesNotContain(planned.Item("planning-date-window").Text, card, StringComparison.Ordinal);
        Assert.Contains($"Done since: ✅ {planned.Item("planning-scope").Text}", card, StringComparison.Ordinal);
        Assert.DoesNotContain("\"item\":\"planning-scope\"", card, StringComparison.Ordinal);
        Assert.Equal("Escalation: 3 newly overdue, 1 done, 1 still overdue in release 2.4.0", escalation.Summary);
        Assert.Contains("Since the escalation of Thu 11 Jun", escalation.Text, StringComparison.Ordinal);
        ReminderSweepTests.AssertDigestsWellFormed(harness.Connector.Activities);
    }

    [Fact]
    public async Task RunAsync_NothingChangedSinceYesterday_ShortNoteWithTheCount()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon.AddDays(1));
        var planned = await harness.CreateAsync(new ReleaseBuilder().WithVersion("2.4.0").On(2026, 6, 16));
        await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Connector.Clear();
        // Monday 09:00: the -4d items (Fri 10:00) are overdue beyond a day, the -3d ones (Sat 10:00) too: with every item that
        // became overdue beyond a day since Friday noon ticked, nothing changed.
        harness.Time.SetUtcNow(new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.FromHours(2)));
        await harness.SettleAsync(planned.Release.Id, i => i.DueAt > ThursdayNoon.AddHours(-2) && i.DueAt < harness.Time.GetUtcNow().AddDays(-1));

        await harness.Sweep.RunAsync(CancellationToken.None);

        Assert.Contains("Nothing changed since the escalation of Fri 12 Jun: 5 items still overdue (on the dashboard).", Card(Escalation(harness)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EscalationClaimedThenCrashedBeforeSending_RetrySaysTheSameAndTheNextDayComparesWithWhatWentOut()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var planned = await harness.CreateAsync(new ReleaseBuilder().WithVersion("2.4.0").On(2026, 6, 16));
        await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Time.SetUtcNow(ThursdayNoon.AddDays(1));
        // Friday: a sweep claimed the escalation and died before posting it.
        var state = await harness.Store.GetAsync(planned.Release.Id, CancellationToken.None);
        var fridays = ReminderPlan.Digests(state!.Release, state.Items, harness.Time.GetUtcNow(), harness.Options).Single(d => d.Kind == ReminderKind.Escalation);
        Assert.NotNull(await harness.Markers.TryClaimAsync(SentMarkers.Send(fridays, harness.Time.GetUtcNow()), CancellationToken.None));
        await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Connector.Clear();

        harness.Time.Advance(harness.Options.ClaimLease + TimeSpan.FromMinutes(1));
        await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        await harness.Sweep.RunAsync(CancellationToken.None);
        var friday = Assert.Single(harness.Connector.Activities, IsEscalation);
        harness.Connector.Clear();
        harness.Time.SetUtcNow(new DateTimeOffset(2026, 6, 15, 12, 0, 0, TimeSpan.FromHours(2)));
        await harness.Sweep.RunAsync(CancellationToken.None);

        Assert.Contains("Since the escalation of Thu 11 Jun: 3 newly overdue (below), 2 still overdue", Card(friday), StringComparison.Ordinal);
        var monday = Card(Escalation(harness));
        Assert.Contains("Since the escalation of Fri 12 Jun:", monday, StringComparison.Ordinal);
        Assert.Contains("5 still overdue", monday, StringComparison.Ordinal);
        Assert.DoesNotContain(planned.Item("planning-prs-merged").Text, monday, StringComparison.Ordinal);
        Assert.Contains(planned.Item("team-dev-complete").Text, monday, StringComparison.Ordinal);
        Assert.Contains(planned.Item("risk-register").Text, monday, StringComparison.Ordinal);
    }

    private static Activity Escalation(ReminderHarness harness) => Assert.Single(harness.Connector.Activities, IsEscalation);
}
