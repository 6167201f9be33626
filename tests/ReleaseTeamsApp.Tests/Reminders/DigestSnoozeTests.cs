using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;
using static ReleaseTeamsApp.Tests.Testing.JuneRelease;
using static ReleaseTeamsApp.Tests.Testing.PostedDigests;

namespace ReleaseTeamsApp.Tests.Reminders;

/// <summary>
/// "Snooze 1 day" leaves an item out of one person's reminders until the same local time tomorrow. The release is on
/// Tue 16 Jun 2026 (Europe/Berlin); on Thursday 11 Jun at 12:00 Carol (Product Manager) has one item, the -12d scope,
/// and Dave (Engineering Lead) has the -5d PRs and the -4d dev-complete items.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class DigestSnoozeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RunAsync_ItemsSnoozedYesterdayAtNoon_LeftOutUntilNoonThenInThatPersonsOneMessageOfTheDay()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var planned = await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));
        await harness.Sweep.RunAsync(CancellationToken.None);
        Assert.Equal(NoticeStyle.Good, (await SnoozeAsync(harness, planned, "planning-scope", People.Carol, People.Carol)).Style);
        Assert.Equal(NoticeStyle.Good, (await SnoozeAsync(harness, planned, "team-dev-complete", People.Dave, People.Dave)).Style);
        harness.Connector.Clear();

        harness.Time.SetUtcNow(new DateTimeOffset(2026, 6, 12, 8, 5, 0, TimeSpan.FromHours(2)));
        var morning = await harness.Sweep.RunAsync(CancellationToken.None);
        var morningPosts = harness.Connector.Activities.ToList();
        harness.Time.SetUtcNow(new DateTimeOffset(2026, 6, 12, 12, 5, 0, TimeSpan.FromHours(2)));
        await harness.Sweep.RunAsync(CancellationToken.None);
        var noonPosts = harness.Connector.Activities.Skip(morningPosts.Count).ToList();

        // Morning: Carol's only item is snoozed, so she hears nothing; Dave's message leaves the snoozed item out.
        Assert.DoesNotContain(morningPosts, a => Recipient(a) == People.Carol.Id);
        var daveMorning = Card(Assert.Single(morningPosts, a => Recipient(a) == People.Dave.Id && !IsEscalation(a)));
        Assert.Contains(planned.Item("planning-prs-merged").Text, daveMorning, StringComparison.Ordinal);
        Assert.DoesNotContain(planned.Item("team-dev-complete").Text, daveMorning, StringComparison.Ordinal);
        // The escalation still counts the snoozed scope item: the Release Manager's view does not change.
        Assert.Contains("Nothing changed since the escalation of Thu 11 Jun: 2 items still overdue", Card(Assert.Single(morningPosts, IsEscalation)), StringComparison.Ordinal);
        Assert.True(morning.Sent > 0);

        // Noon: the snoozes are over; Carol gets her one message of the day, Dave (who had his) nothing more.
        // (Erin, Grace and Heidi hear about the -3d items, which came due soon at 10:00, in their first message of the day.)
        var carol = Card(Assert.Single(noonPosts, a => Recipient(a) == People.Carol.Id));
        Assert.DoesNotContain(noonPosts, a => Recipient(a) == People.Dave.Id);
        Assert.Contains(planned.Item("planning-scope").Text, carol, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_StrangerOwnerAndReleaseManager_StrangerRefusedOthersSnoozeForTheRecipientAndItIsAudited()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var planned = await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));

        var stranger = await SnoozeAsync(harness, planned, "team-dev-complete", People.Mallory, People.Dave);
        var otherOwner = await SnoozeAsync(harness, planned, "team-dev-complete", People.Carol, People.Dave);
        var manager = await SnoozeAsync(harness, planned, "team-dev-complete", People.Alice, People.Dave);
        var again = await SnoozeAsync(harness, planned, "team-dev-complete", People.Dave, People.Dave);

        Assert.Equal(NoticeStyle.Attention, stranger.Style);
        Assert.Equal($"Only {People.Dave.Name} (Engineering Lead) or the Release Manager ({People.Alice.Name}) can snooze this item; ask one of them, or tick it when it is done.", stranger.Text);
        Assert.Equal(NoticeStyle.Attention, otherOwner.Style);
        Assert.Equal(NoticeStyle.Good, manager.Style);
        Assert.StartsWith($"Snoozed: \"{planned.Item("team-dev-complete").Text}\" stays out of {People.Dave.Name}'s reminders until Fri 12 Jun 12:00 (Europe/Berlin).", manager.Text, StringComparison.Ordinal);
        Assert.Equal(NoticeStyle.Default, again.Style);
        Assert.Contains("already snoozed in your reminders until Fri 12 Jun 12:00", again.Text, StringComparison.Ordinal);
        var state = (await harness.Store.GetAsync(planned.Release.Id, CancellationToken.None))!;
        Assert.Equal([new ReminderSnooze(People.Dave.Id, ThursdayNoon.AddDays(1))], state.Item("team-dev-complete")!.Snoozes);
        var audit = Assert.Single(await harness.Store.GetAuditAsync(planned.Release.Id, CancellationToken.None), a => a.Action == AuditActions.ItemSnoozed);
        Assert.Equal((People.Alice.Id, "team-dev-complete", $"{People.Dave.Name} until Fri 12 Jun 12:00 (Europe/Berlin)"), (audit.Actor.Id, audit.ItemId, audit.After));
    }

    [Fact]
    public void SameTimeTomorrow_AcrossTheSwitchToWinterTime_KeepsTheWallClockTime()
    {
        var release = new ReleaseBuilder().Build();
        var saturday = new DateTimeOffset(2026, 10, 24, 9, 30, 0, TimeSpan.FromHours(2));

        var until = DigestSnooze.SameTimeTomorrow(release, saturday);

        Assert.Equal(new DateTimeOffset(2026, 10, 25, 9, 30, 0, TimeSpan.FromHours(1)), until);
    }

    private static async Task<CardNotice> SnoozeAsync(ReminderHarness harness, PlannedRelease planned, string itemId, Person actor, Person recipient)
    {
        var now = harness.Time.GetUtcNow();
        var (change, _) = await harness.Store.ChangeAsync(planned.Release.Id, state => DigestSnooze.Decide(state, itemId, recipient.Id, actor, now), null, CancellationToken.None);
        return ChangeNotices.Of(change);
    }
}
