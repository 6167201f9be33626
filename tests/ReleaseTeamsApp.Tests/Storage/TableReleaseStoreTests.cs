using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;

namespace ReleaseTeamsApp.Tests.Storage;

[Collection(AzuriteTests.Name)]
public sealed class TableReleaseStoreTests(AzuriteFixture azurite)
{
    private readonly IReleaseStore _store = azurite.StoreFor(typeof(TableReleaseStoreTests));
    private readonly DateTimeOffset _now = new(2026, 6, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetAsync_AfterCreate_ReturnsTheReleaseAndAllItems()
    {
        var planned = new ReleaseBuilder().WithVersion("3.1.0").On(2026, 3, 31).InTimeZone("America/New_York")
            .WithWindow(new TimeOnly(21, 30), new TimeOnly(23, 0)).AlsoWithRole(ReleaseRole.EngineeringLead, People.Erin).BuildPlanned();
        await _store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);

        var state = await _store.GetAsync(planned.Release.Id, CancellationToken.None);

        Assert.NotNull(state);
        var release = state.Release;
        Assert.Equal(
            (planned.Release.Version, planned.Release.ReleaseDate, planned.Release.Window, planned.Release.TimeZoneId, planned.Release.Channel, planned.Release.Start),
            (release.Version, release.ReleaseDate, release.Window, release.TimeZoneId, release.Channel, release.Start));
        Assert.Equal((ChecklistTemplateLoader.Default.Id, ChecklistTemplateLoader.Default.Version), (release.TemplateId, release.TemplateVersion));
        Assert.Equal([People.Dave, People.Erin], release.Roles[ReleaseRole.EngineeringLead]);
        Assert.True(release.Roles.Holds(People.Alice, ReleaseRole.ReleaseManager));
        Assert.Equal(planned.Items, state.Items);
        Assert.False(state.IsDuplicate);
    }

    [Fact]
    public async Task GetAuditAsync_AfterCreate_HasTheCreationRow()
    {
        var planned = new ReleaseBuilder().BuildPlanned();
        await _store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);

        var audit = await _store.GetAuditAsync(planned.Release.Id, CancellationToken.None);

        Assert.Equal([planned.Created], audit);
    }

    [Fact]
    public async Task GetAsync_UnknownRelease_ReturnsNull()
    {
        var id = "missing" + Guid.NewGuid().ToString("N");

        var state = await _store.GetAsync(id, CancellationToken.None);

        Assert.Null(state);
    }

    [Fact]
    public async Task CreateAsync_SameVersionTwiceInAChannel_ThrowsAndLeavesNothingOfTheSecond()
    {
        var channel = new ChannelKey("tenant-dup", "team-dup", "19:dup@thread.tacv2");
        var first = new ReleaseBuilder().WithVersion("5.0.0").InChannel(channel).On(2026, 9, 1).BuildPlanned();
        var second = new ReleaseBuilder().WithVersion("5.0.0").InChannel(channel).On(2026, 9, 8).BuildPlanned();
        await _store.CreateAsync(first.Release, first.Items, first.Created, CancellationToken.None);

        var thrown = await Assert.ThrowsAsync<ReleaseVersionTakenException>(() => _store.CreateAsync(second.Release, second.Items, second.Created, CancellationToken.None));

        Assert.Equal("5.0.0", thrown.Version);
        Assert.Null(await _store.GetAsync(second.Release.Id, CancellationToken.None));
        Assert.Empty(await _store.GetAuditAsync(second.Release.Id, CancellationToken.None));
        Assert.Equal(first.Release.Id, await _store.FindIdAsync(channel, "5.0.0", CancellationToken.None));
        Assert.Equal([first.Release.Id], (await _store.ListAsync(channel.TenantId, channel.TeamId, CancellationToken.None)).Select(s => s.ReleaseId));
        var dueOfSecond = await _store.GetDueAsync(second.Release.Start.AddDays(-30), second.Release.Start.AddDays(30), CancellationToken.None);
        Assert.DoesNotContain(dueOfSecond, e => e.ReleaseId == second.Release.Id);
        Assert.NotNull(await _store.GetAsync(first.Release.Id, CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_VersionDifferingOnlyInCase_IsTheSameVersion()
    {
        var channel = new ChannelKey("tenant-case", "team-case", "19:case@thread.tacv2");
        var first = new ReleaseBuilder().WithVersion("6.0.0-rc1").InChannel(channel).BuildPlanned();
        var second = new ReleaseBuilder().WithVersion("6.0.0-RC1").InChannel(channel).BuildPlanned();
        await _store.CreateAsync(first.Release, first.Items, first.Created, CancellationToken.None);

        var create = () => _store.CreateAsync(second.Release, second.Items, second.Created, CancellationToken.None);

        await Assert.ThrowsAsync<ReleaseVersionTakenException>(create);
        Assert.Equal(first.Release.Id, await _store.FindIdAsync(channel, "6.0.0-RC1", CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_SameVersionInAnotherChannel_IsAllowed()
    {
        var first = new ReleaseBuilder().WithVersion("7.0.0").InChannel("tenant-x", "team-x", "19:web@thread.tacv2").BuildPlanned();
        var second = new ReleaseBuilder().WithVersion("7.0.0").InChannel("tenant-x", "team-x", "19:mobile@thread.tacv2").BuildPlanned();
        await _store.CreateAsync(first.Release, first.Items, first.Created, CancellationToken.None);

        await _store.CreateAsync(second.Release, second.Items, second.Created, CancellationToken.None);

        Assert.Equal(second.Release.Id, await _store.FindIdAsync(second.Release.Channel, "7.0.0", CancellationToken.None));
        Assert.Equal(first.Release.Id, await _store.FindIdAsync(first.Release.Channel, "7.0.0", CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_Team_ReturnsItsReleasesFromAllChannelsAndNoOtherTeams()
    {
        var web = new ReleaseBuilder().WithVersion("1.0.0").InChannel("tenant-list", "team-a", "19:web@thread.tacv2").CreatedBy(People.Alice, _now).BuildPlanned();
        var mobile = new ReleaseBuilder().WithVersion("1.1.0").InChannel("tenant-list", "team-a", "19:mobile@thread.tacv2").CreatedBy(People.Alice, _now.AddHours(1)).BuildPlanned();
        var otherTeam = new ReleaseBuilder().WithVersion("9.9.9").InChannel("tenant-list", "team-b", "19:web@thread.tacv2").BuildPlanned();
        foreach (var planned in new[] { mobile, web, otherTeam })
        {
            await _store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);
        }

        var list = await _store.ListAsync("tenant-list", "team-a", CancellationToken.None);

        Assert.Equal(
            [new ReleaseSummary(web.Release.Id, "1.0.0", "19:web@thread.tacv2", _now), new ReleaseSummary(mobile.Release.Id, "1.1.0", "19:mobile@thread.tacv2", _now.AddHours(1))],
            list);
    }

    [Fact]
    public async Task FindIdAsync_UnknownVersion_ReturnsNull()
    {
        var channel = new ChannelKey("tenant-none", "team-none", "19:none@thread.tacv2");

        var id = await _store.FindIdAsync(channel, "0.0.1", CancellationToken.None);

        Assert.Null(id);
    }

    [Fact]
    public async Task UpdateAsync_ItemChange_CommitsItemAndAuditTogether()
    {
        var planned = new ReleaseBuilder().BuildPlanned();
        await _store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);
        var change = new ItemChange("infra-staging-smoke", ItemAction.Complete, People.Bob, Note: "all green");

        var outcome = await _store.ApplyAsync(planned.Release.Id, change, () => _now);

        Assert.IsType<ItemChangeOutcome.Applied>(outcome);
        var state = await _store.GetAsync(planned.Release.Id, CancellationToken.None);
        var item = state!.Item("infra-staging-smoke")!;
        Assert.Equal((ItemStatus.Done, "all green", People.Bob, _now), (item.Status, item.Note, item.ChangedBy, item.CompletedAt));
        var audit = await _store.GetAuditAsync(planned.Release.Id, CancellationToken.None);
        Assert.Equal(
            [planned.Created, new AuditEvent(planned.Release.Id, _now, People.Bob, AuditActions.ItemCompleted, "infra-staging-smoke", "Open", "Done", "all green")],
            audit);
    }

    [Fact]
    public async Task UpdateAsync_RefusedChange_WritesNothing()
    {
        var planned = new ReleaseBuilder().BuildPlanned();
        await _store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);

        var outcome = await _store.ApplyAsync(planned.Release.Id, new ItemChange("infra-staging-smoke", ItemAction.Complete, People.Mallory), () => _now);

        Assert.IsType<ItemChangeOutcome.Refused>(outcome);
        Assert.Equal(ItemStatus.Open, (await _store.GetAsync(planned.Release.Id, CancellationToken.None))!.Item("infra-staging-smoke")!.Status);
        Assert.Equal([planned.Created], await _store.GetAuditAsync(planned.Release.Id, CancellationToken.None));
    }

    [Fact]
    public async Task UpdateAsync_UnknownRelease_ThrowsReleaseNotFound()
    {
        var id = "missing" + Guid.NewGuid().ToString("N");

        var update = () => _store.ApplyAsync(id, new ItemChange("x", ItemAction.Complete, People.Alice), () => _now);

        Assert.Equal(id, (await Assert.ThrowsAsync<ReleaseNotFoundException>(update)).ReleaseId);
    }

    [Fact]
    public async Task UpdateAsync_SameIdempotencyKeyTwice_ChangesStateOnceAndAuditsOnce()
    {
        var planned = new ReleaseBuilder().BuildPlanned();
        await _store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);
        var complete = new ItemChange("infra-staging-smoke", ItemAction.Complete, People.Bob);
        await _store.ApplyAsync(planned.Release.Id, complete, () => _now, idempotencyKey: "activity-1");
        await _store.ApplyAsync(planned.Release.Id, new ItemChange("infra-staging-smoke", ItemAction.Reopen, People.Alice), () => _now.AddMinutes(1), idempotencyKey: "activity-2");

        // Teams redelivers the first invoke after the item was reopened: it must not complete it again.
        await _store.ApplyAsync(planned.Release.Id, complete, () => _now.AddMinutes(2), idempotencyKey: "activity-1");

        var state = await _store.GetAsync(planned.Release.Id, CancellationToken.None);
        Assert.Equal(ItemStatus.Open, state!.Item("infra-staging-smoke")!.Status);
        var audit = await _store.GetAuditAsync(planned.Release.Id, CancellationToken.None);
        Assert.Equal([AuditActions.ReleaseCreated, AuditActions.ItemCompleted, AuditActions.ItemReopened], audit.Select(a => a.Action));
    }

    [Fact]
    public async Task UpdateAsync_RepeatedIdempotencyKey_IsReportedAsDuplicate()
    {
        var planned = new ReleaseBuilder().BuildPlanned();
        await _store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);
        var note = new ItemChange("infra-staging-smoke", ItemAction.Note, People.Bob, Note: "first run flaky");
        await _store.ApplyAsync(planned.Release.Id, note, () => _now, idempotencyKey: "activity/with?odd#chars");

        var duplicate = (await _store.UpdateAsync(planned.Release.Id, state => ReleaseChange.Unchanged("").Returning(state.IsDuplicate), "activity/with?odd#chars", CancellationToken.None)).Result;

        Assert.True(duplicate);
        Assert.Equal(2, (await _store.GetAuditAsync(planned.Release.Id, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task UpdateAsync_ReleaseRowChange_IsStoredWithItsAudit()
    {
        var planned = new ReleaseBuilder().BuildPlanned();
        await _store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);
        var closed = new AuditEvent(planned.Release.Id, _now, People.Alice, AuditActions.ReleaseClosed);

        await _store.UpdateAsync(
            planned.Release.Id,
            state => ReleaseChange.Record(state.Release with { Status = ReleaseStatus.Closed, ClosedAt = _now }, [], [closed]).Returning(0),
            null,
            CancellationToken.None);

        var state = await _store.GetAsync(planned.Release.Id, CancellationToken.None);
        Assert.Equal((ReleaseStatus.Closed, _now), (state!.Release.Status, state.Release.ClosedAt));
        Assert.Contains(closed, await _store.GetAuditAsync(planned.Release.Id, CancellationToken.None));
        var refused = await _store.ApplyAsync(planned.Release.Id, new ItemChange("infra-staging-smoke", ItemAction.Complete, People.Bob), () => _now);
        Assert.IsType<ItemChangeOutcome.Refused>(refused);
    }

    [Fact]
    public async Task ReserveVersionAsync_CreatorDiedBeforeTheReleaseWasWritten_TakenOverOnlyAfterTheLease()
    {
        var channel = new ChannelKey("tenant-octoacme", "team-reserve", "19:reserve@thread.tacv2");
        var now = new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);
        Assert.True(await _store.ReserveVersionAsync(channel, "7.0.0", "rel-dead", now, CancellationToken.None));

        var whileHeld = await _store.ReserveVersionAsync(channel, "7.0.0", "rel-second", now.AddSeconds(30), CancellationToken.None);
        var afterLease = await _store.ReserveVersionAsync(channel, "7.0.0", "rel-third", now.AddMinutes(3), CancellationToken.None);

        Assert.False(whileHeld);
        Assert.True(afterLease);
        Assert.Equal("rel-third", await _store.FindIdAsync(channel, "7.0.0", CancellationToken.None));
    }

    [Fact]
    public async Task ReserveVersionAsync_ReleaseExists_NeverTakenOver()
    {
        var planned = new ReleaseBuilder().WithVersion("7.1.0").BuildPlanned();
        await _store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);

        var later = await _store.ReserveVersionAsync(planned.Release.Channel, "7.1.0", "rel-other", planned.Release.CreatedAt.AddDays(30), CancellationToken.None);

        Assert.False(later);
        Assert.Equal(planned.Release.Id, await _store.FindIdAsync(planned.Release.Channel, "7.1.0", CancellationToken.None));
    }

}
