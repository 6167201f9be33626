using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Functions.Tests.Tab;

/// <summary>Seeds releases the way the bot creates and changes them: create through the store, then item changes through UpdateAsync.</summary>
internal static class TabReleaseSeed
{
    /// <summary>T of the seeded releases: 10 December 2026, 10:00 in Berlin (09:00 UTC).</summary>
    public static readonly DateOnly ReleaseDate = new(2026, 12, 10);

    /// <summary>The local host's clock in the browser tests: T-3d21h, so items due at T-4d and earlier are overdue.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    public static readonly Person Rm = new("29:alice", "Alice Release-Manager", "aad-alice");
    public static readonly Person Writer = new("29:frank", "Frank Technical-Writer", "aad-frank");
    public static readonly Person Qa = new("29:bob", "Bob QA-Automation", "aad-bob");

    public static async Task<Release> CreateAsync(IReleaseStore store, ChannelKey channel, string version, int createdDaysBefore = 15)
    {
        var template = ChecklistTemplateLoader.Default;
        var createdAt = Release.ToInstant(ReleaseDate.AddDays(-createdDaysBefore), new TimeOnly(9, 0), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        var release = new Release
        {
            Id = "rel-" + Guid.NewGuid().ToString("N")[..12],
            Version = version,
            Channel = channel,
            ReleaseDate = ReleaseDate,
            TimeZoneId = "Europe/Berlin",
            TemplateId = template.Id,
            TemplateVersion = template.Version,
            Roles = RoleAssignments.Empty
                .Assign(ReleaseRole.ReleaseManager, Rm)
                .Assign(ReleaseRole.TechnicalWriter, Writer)
                .Assign(ReleaseRole.QaAutomationEngineer, Qa),
            CreatedBy = Rm,
            CreatedAt = createdAt,
        };
        await store.CreateAsync(release, ReleasePlanner.PlanItems(template, release), new AuditEvent(release.Id, createdAt, Rm, AuditActions.ReleaseCreated), CancellationToken.None);
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

    public static Task ChangeAsync(IReleaseStore store, string releaseId, ItemChange change, DateTimeOffset at) =>
        store.UpdateAsync(releaseId, state =>
        {
            var item = state.Item(change.ItemId) ?? throw new InvalidOperationException($"No item {change.ItemId}.");
            return ItemChanges.Apply(state.Release, item, change, at) switch
            {
                ItemChangeOutcome.Applied applied => new Decision<bool>(new ReleaseWrite(null, [applied.Item], [applied.Audit]), true),
                ItemChangeOutcome.Refused refused => throw new InvalidOperationException(refused.Message),
                _ => new Decision<bool>(ReleaseWrite.Nothing, false),
            };
        }, idempotencyKey: null, CancellationToken.None);
}
