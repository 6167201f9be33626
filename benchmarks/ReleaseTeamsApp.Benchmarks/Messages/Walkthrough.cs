using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Hosting;
using ReleaseTeamsApp.Planning;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Benchmarks.Messages;

/// <summary>
/// The README's "Play a release" walkthrough up to T-1: release 2.4.0 on Tue 16 Jun 2026 (Europe/Berlin), created on
/// Tue 2 Jun at 09:00 by Alice, who assigns herself Release Manager, Bob QA, Carol PM, Dan Engineering Lead, Frank
/// Technical Writer and Heidi Support Lead (Manual QA and UX Designer stay unassigned, so their items reach Alice). On
/// Monday 8 Jun after the morning's reminders she ticks the date/window item and moves the release to 17 Jun; on Tuesday
/// 9 Jun after the reminders she ticks the 17 pre-release items the walkthrough lists. Nobody else ticks anything.
/// </summary>
internal static class Walkthrough
{
    private static readonly string[] PreReleaseTicks =
    [
        "planning-scope", "planning-prs-merged", "planning-release-notes", "planning-breaking-changes", "team-dev-complete",
        "team-automation-coverage", "team-manual-qa-signoff", "team-docs-updated", "team-ux-validated", "team-support-prepared",
        "infra-staging-smoke", "infra-deploy-plan", "infra-rollback-procedure", "risk-register", "risk-dependencies", "risk-on-call", "risk-comms-plan",
    ];

    public static readonly TimeSpan Berlin = TimeSpan.FromHours(2);

    public static DateTimeOffset Created { get; } = new(2026, 6, 2, 9, 0, 0, Berlin);

    /// <summary>The end of T-1 of the moved release (midnight before release day).</summary>
    public static DateTimeOffset End { get; } = new(2026, 6, 17, 0, 0, 0, Berlin);

    public static Person Alice { get; } = new("29:alice", "Alice");

    /// <summary>Who holds what, as the walkthrough's assign commands leave it.</summary>
    public static IReadOnlyList<(Person Person, ReleaseRole Role)> Team { get; } =
    [
        (Alice, ReleaseRole.ReleaseManager),
        (new Person("29:bob", "Bob"), ReleaseRole.QaAutomationEngineer),
        (new Person("29:carol", "Carol"), ReleaseRole.ProductManager),
        (new Person("29:dan", "Dan"), ReleaseRole.EngineeringLead),
        (new Person("29:frank", "Frank"), ReleaseRole.TechnicalWriter),
        (new Person("29:heidi", "Heidi"), ReleaseRole.SupportLead),
    ];

    /// <summary>The walkthrough's actions, each right after the sweep at its time (its clock step runs the timers first).</summary>
    public static IReadOnlyList<WalkthroughAction> Actions { get; } =
    [
        new(new DateTimeOffset(2026, 6, 8, 8, 5, 0, Berlin), "tick planning-date-window, move release 2.4.0 to 2026-06-17", async (store, id, now) =>
        {
            await TickAsync(store, id, "planning-date-window", now);
            await store.UpdateAsync(id, state => MoveCommand.Decide(state, Alice, new DateOnly(2026, 6, 17), now), null, CancellationToken.None);
        }),
        new(new DateTimeOffset(2026, 6, 9, 8, 5, 0, Berlin), "tick the 17 pre-release items for go/no-go", async (store, id, now) =>
        {
            foreach (var item in PreReleaseTicks)
            {
                await TickAsync(store, id, item, now);
            }
        }),
    ];

    /// <summary>The clock steps of the walkthrough's T-13 … T-1 block (each runs the timers): when its sweeps happen.</summary>
    public static IReadOnlyList<DateTimeOffset> ReadmeClock { get; } =
    [
        new(2026, 6, 3, 9, 0, 0, Berlin),
        new(2026, 6, 4, 9, 0, 0, Berlin),
        new(2026, 6, 4, 21, 0, 0, Berlin),
        new(2026, 6, 5, 8, 5, 0, Berlin),
        new(2026, 6, 8, 8, 5, 0, Berlin),
        new(2026, 6, 9, 8, 5, 0, Berlin),
    ];

    private static readonly Lazy<ItemBehaviours> Behaviours = new(() =>
        new ServiceCollection().AddReleaseTeamsApp(new ConfigurationBuilder().Build()).BuildServiceProvider().GetRequiredService<ItemBehaviours>());

    /// <summary>Creates the release as "new release 2.4.0 on 2026-06-16 tz Europe/Berlin" plans it, with its thread posted.</summary>
    public static async Task<string> CreateAsync(IReleaseStore store, string serviceUrl)
    {
        var template = ChecklistTemplateLoader.Default;
        var release = new Release
        {
            Id = "walkthrough" + Guid.NewGuid().ToString("N")[..8],
            Version = "2.4.0",
            Channel = new ChannelKey("tenant-walkthrough", "team-walkthrough", "19:releases@thread.tacv2"),
            ReleaseDate = new DateOnly(2026, 6, 16),
            TimeZoneId = "Europe/Berlin",
            TemplateId = template.Id,
            TemplateVersion = template.Version,
            Roles = Team.Aggregate(RoleAssignments.Empty, (roles, t) => roles.Assign(t.Role, t.Person)),
            CreatedBy = Alice,
            CreatedAt = Created,
            Thread = new ReleaseThread(serviceUrl, "19:releases@thread.tacv2;messageid=1", "1", new Dictionary<string, string>()),
        };
        await store.CreateAsync(release, ReleasePlanner.PlanItems(template, release), new AuditEvent(release.Id, Created, Alice, AuditActions.ReleaseCreated), CancellationToken.None);
        return release.Id;
    }

    /// <summary>Who gets a role's items: its holder, or Alice (the Release Manager) for the roles nobody holds.</summary>
    public static string RolesOf(Person person) =>
        string.Join(" + ", Team.Where(t => t.Person.Id == person.Id).Select(t => t.Role.DisplayName())
            .Concat(person.Id == Alice.Id ? ReleaseRoles.All.Where(r => Team.All(t => t.Role != r)).Select(r => $"{r.DisplayName()} (unassigned)") : []));

    private static async Task TickAsync(IReleaseStore store, string releaseId, string itemId, DateTimeOffset now) =>
        await store.UpdateAsync(releaseId, state =>
        {
            var decided = ItemDecision.Decide(state, new ItemChange(itemId, ItemAction.Complete, Alice, null, null), now, Behaviours.Value)
                ?? throw new InvalidOperationException($"The walkthrough's item {itemId} is not in the template.");
            return decided.Change.Returning(true);
        }, null, CancellationToken.None);
}

/// <summary>One of the walkthrough's steps, done right after the sweep at <paramref name="At"/>.</summary>
internal sealed record WalkthroughAction(DateTimeOffset At, string What, Func<IReleaseStore, string, DateTimeOffset, Task> Do);
