using Microsoft.Extensions.Time.Testing;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Tests.Templates;

[Collection(AzuriteTests.Name)]
public sealed class TemplateLibraryTests(AzuriteFixture azurite)
{
    private const string Tenant = "tenant-octoacme";
    private const string Team = "19:team-platform@thread.tacv2";

    private readonly TemplateLibrary _library = new(azurite.CreateTables(azurite.NewTablePrefix()), new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero)));

    [Fact]
    public async Task SaveAsync_ValidNewVersion_StoresItAndGetReturnsThatVersion()
    {
        var saved = await _library.SaveAsync(Tenant, Team, TeamTemplate.Json(1), "Alice Adams", CancellationToken.None);

        Assert.Equal(TemplateSaveOutcome.Saved, saved.Outcome);
        var stored = await _library.GetAsync(Tenant, Team, TeamTemplate.Id, 1, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(["Readiness v1", "Ship it v1"], stored.Phases.Select(p => p.Title));
        Assert.Equal(["smoke-v1", "deploy-prod"], stored.Items.Select(i => i.Item.Id));
    }

    [Fact]
    public async Task GetAsync_NoVersionGiven_ReturnsTheLatestVersion()
    {
        await _library.SaveAsync(Tenant, Team, TeamTemplate.Json(1), "Alice Adams", CancellationToken.None);
        await _library.SaveAsync(Tenant, Team, TeamTemplate.Json(10), "Alice Adams", CancellationToken.None);
        await _library.SaveAsync(Tenant, Team, TeamTemplate.Json(2), "Alice Adams", CancellationToken.None);

        var latest = await _library.GetAsync(Tenant, Team, TeamTemplate.Id, null, CancellationToken.None);
        var first = await _library.GetAsync(Tenant, Team, TeamTemplate.Id, 1, CancellationToken.None);

        Assert.Equal(10, latest!.Version);
        Assert.Equal("Readiness v1", first!.Phases[0].Title);
    }

    [Fact]
    public async Task SaveAsync_ExistingVersionWithOtherContent_RefusedAndTheStoredVersionIsKept()
    {
        await _library.SaveAsync(Tenant, Team, TeamTemplate.Json(1), "Alice Adams", CancellationToken.None);
        var changed = TeamTemplate.Json(1).Replace("Smoke tests green", "Smoke and load tests green", StringComparison.Ordinal);

        var result = await _library.SaveAsync(Tenant, Team, changed, "Bob Brown", CancellationToken.None);

        Assert.Equal(TemplateSaveOutcome.VersionTaken, result.Outcome);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("version", problem.Location);
        Assert.Equal($"version 1 of {TeamTemplate.Id} already exists: bump the version", problem.Message);
        var stored = await _library.GetAsync(Tenant, Team, TeamTemplate.Id, 1, CancellationToken.None);
        Assert.Equal("Smoke tests green (v1)", stored!.Items.First().Item.Text);
    }

    [Fact]
    public async Task SaveAsync_IdenticalReuploadWithOtherFormatting_IsANoOp()
    {
        await _library.SaveAsync(Tenant, Team, TeamTemplate.Json(1), "Alice Adams", CancellationToken.None);

        var again = await _library.SaveAsync(Tenant, Team, TeamTemplate.Json(1, indent: "\t"), "Bob Brown", CancellationToken.None);

        Assert.Equal(TemplateSaveOutcome.Unchanged, again.Outcome);
        Assert.Empty(again.Problems);
        var listed = await _library.ListAsync(Tenant, Team, CancellationToken.None);
        var upload = Assert.Single(listed, t => t.Id == TeamTemplate.Id);
        Assert.Equal("Alice Adams", upload.UploadedBy);
    }

    [Fact]
    public async Task SaveAsync_InvalidFile_ReportsEveryProblemWithItsLocationAndStoresNothing()
    {
        var broken = TeamTemplate.Json(1, id: "broken-checklist")
            .Replace("\"QA Automation Engineer\"", "\"Astronaut\"", StringComparison.Ordinal)
            .Replace("\"+30m\"", "\"-1d\"", StringComparison.Ordinal)
            .Replace("\"kind\": \"releaseDay\"", "\"kind\": \"someday\"", StringComparison.Ordinal);

        var result = await _library.SaveAsync(Tenant, Team, broken, "Alice Adams", CancellationToken.None);

        Assert.Equal(TemplateSaveOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Problems, p => p.Location == "phases[0].sections[0].items[0].owner" && p.Message.StartsWith("unknown role 'Astronaut'", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Location == "phases[1].kind" && p.Message.StartsWith("unknown phase kind 'someday'", StringComparison.Ordinal));
        Assert.Null(await _library.GetAsync(Tenant, Team, "broken-checklist", null, CancellationToken.None));
        Assert.DoesNotContain(await _library.ListAsync(Tenant, Team, CancellationToken.None), t => t.Id == "broken-checklist");
    }

    [Fact]
    public async Task GetAsync_BuiltInId_IsTheSeedUntilTheTeamUploadsAHigherVersion()
    {
        var builtIn = ChecklistTemplateLoader.Default;
        const string OtherTeam = "19:team-mobile@thread.tacv2";
        var shadow = TeamTemplate.Json(builtIn.Version + 1, id: builtIn.Id);

        var before = await _library.GetAsync(Tenant, OtherTeam, builtIn.Id, null, CancellationToken.None);
        var sameVersion = await _library.SaveAsync(Tenant, OtherTeam, TeamTemplate.Json(builtIn.Version, id: builtIn.Id), "Alice Adams", CancellationToken.None);
        var higher = await _library.SaveAsync(Tenant, OtherTeam, shadow, "Alice Adams", CancellationToken.None);
        var after = await _library.GetAsync(Tenant, OtherTeam, builtIn.Id, null, CancellationToken.None);
        var pinned = await _library.GetAsync(Tenant, OtherTeam, builtIn.Id, builtIn.Version, CancellationToken.None);

        Assert.Same(builtIn, before);
        Assert.Equal(TemplateSaveOutcome.VersionTaken, sameVersion.Outcome);
        Assert.Equal("version", Assert.Single(sameVersion.Problems).Location);
        Assert.Equal(TemplateSaveOutcome.Saved, higher.Outcome);
        Assert.Equal(builtIn.Version + 1, after!.Version);
        Assert.Same(builtIn, pinned);
    }

    [Fact]
    public async Task ListAsync_AnotherTeamsUploads_AreNotListedAndCannotBeUsed()
    {
        await _library.SaveAsync(Tenant, Team, TeamTemplate.Json(1, id: "platform-only"), "Alice Adams", CancellationToken.None);

        var otherTenant = await _library.ListAsync("tenant-other", Team, CancellationToken.None);
        var otherTeam = await _library.GetAsync(Tenant, "19:team-other@thread.tacv2", "platform-only", null, CancellationToken.None);

        Assert.Equal([ChecklistTemplateLoader.Default.Id], otherTenant.Select(t => t.Id));
        Assert.True(Assert.Single(otherTenant).BuiltIn);
        Assert.Null(otherTeam);
    }
}
