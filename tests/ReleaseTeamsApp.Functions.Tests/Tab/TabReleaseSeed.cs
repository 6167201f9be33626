using ReleaseTeamsApp.Planning;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Tab;

/// <summary>Seeds releases the way the bot creates and changes them: the new-release plan, then item changes decided as the card action decides them.</summary>
internal static class TabReleaseSeed
{
    /// <summary>T of the seeded releases: 10 December 2026, 10:00 in Berlin (09:00 UTC).</summary>
    public static readonly DateOnly ReleaseDate = new(2026, 12, 10);

    /// <summary>The local host's clock in the browser tests: T-3d21h, so items due at T-4d and earlier are overdue.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    public static readonly Person Rm = new("29:alice", "Alice Release-Manager", "aad-alice");
    public static readonly Person Writer = new("29:frank", "Frank Technical-Writer", "aad-frank");
    public static readonly Person Qa = new("29:bob", "Bob QA-Automation", "aad-bob");

    /// <summary>A release as the new-release command plans it (<see cref="ReleaseCreation.Plan"/>), with a Technical Writer and a QA engineer assigned.</summary>
    public static async Task<Release> CreateAsync(IReleaseStore store, ChannelKey channel, string version, int createdDaysBefore = 15)
    {
        var createdAt = Release.ToInstant(ReleaseDate.AddDays(-createdDaysBefore), new TimeOnly(9, 0), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        var plan = ReleaseCreation.Plan("rel-" + Guid.NewGuid().ToString("N")[..12], new NewRelease(version, ReleaseDate, null, "Europe/Berlin", null), channel, ChecklistTemplateLoader.Default, Rm, Rm, createdAt);
        var release = plan.Release with { Roles = plan.Release.Roles.Assign(ReleaseRole.TechnicalWriter, Writer).Assign(ReleaseRole.QaAutomationEngineer, Qa) };
        await store.CreateAsync(release, plan.Items, plan.Created, CancellationToken.None);
        return release;
    }

    /// <summary>The dashboard scenario: 3 done + 1 N/A in pre-release, one blocker, four overdue (the blocker among them).</summary>
    public static async Task<Release> CreateScenarioAsync(IReleaseStore store, ChannelKey channel, string version)
    {
        var release = await CreateAsync(store, channel, version);
        var t = release.Start;
        await ChangeAsync(store, release.Id, new ItemChange("planning-date-window", ItemAction.Complete, Rm), t.AddDays(-14));
        await ChangeAsync(store, release.Id, new ItemChange("planning-scope", ItemAction.Complete, Rm, EvidenceUrl: "https://octoacme.example/scope"), t.AddDays(-12));
        await ChangeAsync(store, release.Id, new ItemChange("planning-prs-merged", ItemAction.Complete, Rm), t.AddDays(-6));
        await ChangeAsync(store, release.Id, new ItemChange("infra-db-migrations", ItemAction.MarkNotApplicable, Rm, "No schema change in this release"), t.AddDays(-5));
        await ChangeAsync(store, release.Id, new ItemChange("team-automation-coverage", ItemAction.Block, Qa, "Staging test runner is down"), t.AddDays(-4).AddHours(2));
        return release;
    }

    /// <summary>A person's item change, decided as the card action decides it; a refusal fails the seeding.</summary>
    public static async Task ChangeAsync(IReleaseStore store, string releaseId, ItemChange change, DateTimeOffset at)
    {
        if (await store.ApplyAsync(releaseId, change, () => at) is ItemChangeOutcome.Refused refused)
        {
            throw new InvalidOperationException(refused.Message);
        }
    }
}
