using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;
using static ReleaseTeamsApp.Tests.Testing.JuneRelease;

namespace ReleaseTeamsApp.Tests.Reminders;

/// <summary>
/// What a sweep costs follows what is due: storage requests per release with something due (at most 2 when it sends,
/// at most 1 when nothing is new), no release read at night or when nothing changed, and a change of role holders
/// still reaches the new holder the same day.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class SweepCostTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RunAsync_TenReleasesDue_AtMostTwoStorageRequestsPerReleaseFirstAndOneOnARepeat()
    {
        var counter = new TableRequestCounter();
        var harness = new ReminderHarness(azurite, ThursdayNoon, counter.Options());
        for (var n = 0; n < 10; n++)
        {
            await harness.CreateAsync(new ReleaseBuilder().WithVersion($"8.{n}.0").On(2026, 6, 16));
        }

        counter.Reset();
        var first = await harness.Sweep.RunAsync(CancellationToken.None);
        var firstRequests = counter.Count;
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        counter.Reset();
        var repeat = await harness.Sweep.RunAsync(CancellationToken.None);
        var repeatRequests = counter.Count;

        // Ten releases of one channel: one message per person (5 reminders, 1 escalation), each listing all ten.
        Assert.Equal((6, 10), (first.Sent, first.Releases));
        Assert.All(harness.Connector.Activities, a => Assert.Contains("8.0.0, 8.1.0", a.Summary!, StringComparison.Ordinal));
        Assert.InRange(firstRequests, 1, 2 * 10);
        Assert.Equal((0, 10), (repeat.Sent, repeat.Unchanged));
        Assert.InRange(repeatRequests, 1, 10);
    }

    [Fact]
    public async Task RunAsync_RepeatWithNothingNew_DoesNotReadTheRelease()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var planned = await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));
        await harness.Sweep.RunAsync(CancellationToken.None);
        await harness.CorruptReleaseRowAsync(planned.Release.Id);
        harness.Time.Advance(TimeSpan.FromMinutes(5));

        var again = await harness.Sweep.RunAsync(CancellationToken.None);

        Assert.Equal((0, 0, 1), (again.Sent, again.Broken, again.Unchanged));
        Assert.Equal(6, harness.Connector.Activities.Count);
    }

    [Fact]
    public async Task RunAsync_AtNight_PostponesWithoutReadingTheRelease()
    {
        var harness = new ReminderHarness(azurite, new DateTimeOffset(2026, 6, 11, 21, 0, 0, TimeSpan.FromHours(2)));
        var planned = await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));
        await harness.CorruptReleaseRowAsync(planned.Release.Id);

        var night = await harness.Sweep.RunAsync(CancellationToken.None);

        Assert.Equal((0, 0, 1), (night.Sent, night.Broken, night.Postponed));
        Assert.Empty(harness.Connector.Activities);
    }

    [Fact]
    public async Task RunAsync_RoleHandedOverAfterTheDigests_NewHolderHearsAtTheNextSweepAndNobodyElseAgain()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var planned = await harness.CreateAsync(new ReleaseBuilder().On(2026, 6, 16));
        await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Connector.Clear();
        await harness.Store.UpdateAsync(planned.Release.Id, state =>
            ReleaseChange.Record(state.Release with { Roles = state.Release.Roles.Assign(ReleaseRole.EngineeringLead, People.Erin) }).Returning(0), null, CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromMinutes(5));

        var after = await harness.Sweep.RunAsync(CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        var later = await harness.Sweep.RunAsync(CancellationToken.None);

        var erins = Assert.Single(harness.Connector.Activities);
        Assert.Equal("29:erin", erins.GetMentions().Single().Mentioned!.Id);
        Assert.Contains(planned.Item("planning-prs-merged").Text, RecordingConnector.CardOf(erins).ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(1, after.Sent);
        Assert.Equal((0, 1), (later.Sent, later.Unchanged));
    }
}
