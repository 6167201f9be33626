using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;
using static ReleaseTeamsApp.Tests.Testing.JuneRelease;

namespace ReleaseTeamsApp.Tests.Reminders;

/// <summary>A release whose row cannot be read (corrupt JSON) among good ones: the sweeps skip it, log it, and serve the others.</summary>
[Collection(AzuriteTests.Name)]
public sealed class SweepIsolationTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Finished = new(2026, 6, 16, 11, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public async Task ReminderSweep_OneReleaseRowCorrupt_OtherReleasesStillGetEveryDigestAndTheBrokenOneIsLogged()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var first = await harness.CreateAsync(new ReleaseBuilder().WithVersion("5.1.0").On(2026, 6, 16));
        var broken = await harness.CreateAsync(new ReleaseBuilder().WithVersion("5.2.0").On(2026, 6, 16));
        var last = await harness.CreateAsync(new ReleaseBuilder().WithVersion("5.3.0").On(2026, 6, 16));
        await harness.CorruptReleaseRowAsync(broken.Release.Id);

        var result = await harness.Sweep.RunAsync(CancellationToken.None);

        // One message per person and day in the channel, listing both good releases.
        var versions = harness.Connector.Activities.Select(a => a.Summary!).ToList();
        Assert.Equal(6, versions.Count(s => s.EndsWith("releases 5.1.0, 5.3.0", StringComparison.Ordinal)));
        Assert.DoesNotContain(versions, s => s.Contains("5.2.0", StringComparison.Ordinal));
        Assert.Equal((6, 1), (result.Sent, result.Broken));
        var error = Assert.Single(harness.SweepLog.At(LogLevel.Error));
        Assert.Contains(broken.Release.Id, error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Exception);
        Assert.NotEqual(first.Release.Id, last.Release.Id);
    }

    [Fact]
    public async Task ReminderSweep_CorruptReleaseRepaired_NextSweepSendsItsDigests()
    {
        var harness = new ReminderHarness(azurite, ThursdayNoon);
        var broken = await harness.CreateAsync(new ReleaseBuilder().WithVersion("5.4.0").On(2026, 6, 16));
        var original = await harness.Tables.Releases.GetEntityAsync<TableEntity>(broken.Release.Id, TableKeys.ReleaseRow);
        await harness.CorruptReleaseRowAsync(broken.Release.Id);
        await harness.Sweep.RunAsync(CancellationToken.None);

        await harness.Tables.Releases.UpsertEntityAsync(original.Value, TableUpdateMode.Replace);
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        var again = await harness.Sweep.RunAsync(CancellationToken.None);

        Assert.Equal((6, 0), (again.Sent, again.Broken));
    }

    [Fact]
    public async Task FollowUpSweep_OneDeployedReleaseCorrupt_OtherReleaseStillGetsItsFollowUps()
    {
        var harness = new ReminderHarness(azurite, Finished.AddHours(24).AddMinutes(5));
        await CreateDeployedAsync(harness, "6.1.0");
        var broken = await CreateDeployedAsync(harness, "6.2.0");
        await harness.FollowUps.RunAsync(CancellationToken.None);
        harness.Connector.Clear();
        await harness.CorruptReleaseRowAsync(broken.Release.Id);
        harness.Time.Advance(TimeSpan.FromHours(24));

        var result = await harness.FollowUps.RunAsync(CancellationToken.None);

        var posted = Assert.Single(harness.Connector.Activities);
        Assert.Equal("Release 6.1.0: 48 hours after deployment", posted.Summary);
        Assert.Equal(1, result.Broken);
        Assert.Contains(harness.FollowUpLog.At(LogLevel.Error), e => e.Message.Contains(broken.Release.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FollowUpSweep_CorruptReleaseNotTrackedYet_OtherReleaseIsStillDiscoveredAndFollowedUp()
    {
        var harness = new ReminderHarness(azurite, Finished.AddHours(24).AddMinutes(5));
        var broken = await CreateDeployedAsync(harness, "6.3.0");
        await harness.CorruptReleaseRowAsync(broken.Release.Id);
        await CreateDeployedAsync(harness, "6.4.0");

        var result = await harness.FollowUps.RunAsync(CancellationToken.None);

        Assert.Contains(harness.Connector.Activities, a => a.Summary == "Release 6.4.0: 24 hours after deployment");
        Assert.DoesNotContain(harness.Connector.Activities, a => a.Summary!.Contains("6.3.0", StringComparison.Ordinal));
        Assert.Equal(1, result.Broken);
    }

    private static Task<PlannedRelease> CreateDeployedAsync(ReminderHarness harness, string version) =>
        harness.CreateAsync(new ReleaseBuilder().WithVersion(version).On(2026, 6, 16), release => release with
        {
            Status = ReleaseStatus.Deployed,
            Deployment = new Deployment(Finished.AddHours(-1), People.Alice, Finished, People.Alice),
        });
}
