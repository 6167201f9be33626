using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Tab;
using ReleaseTeamsApp.Tests.Testing;

namespace ReleaseTeamsApp.Tests.Tab;

public sealed class ReleaseDashboardBuilderTests
{
    private static readonly PlannedRelease Planned = new ReleaseBuilder().On(2026, 6, 16).BuildPlanned();

    private static (ReleaseState State, List<AuditEvent> Audit) Apply(params (string ItemId, ItemAction Action, string? Note, DateTimeOffset At)[] changes)
    {
        var items = Planned.Items.ToDictionary(i => i.Id);
        var audit = new List<AuditEvent> { Planned.Created };
        foreach (var (itemId, action, note, at) in changes)
        {
            var outcome = ItemChanges.Apply(Planned.Release, items[itemId], new ItemChange(itemId, action, People.Alice, note), at);
            var applied = Assert.IsType<ItemChangeOutcome.Applied>(outcome);
            items[itemId] = applied.Item;
            audit.Add(applied.Audit);
        }

        var state = new ReleaseState(Planned.Release, Azure.ETag.All, items.Values.OrderBy(i => i.Order).ToList(), new Dictionary<string, Azure.ETag>(), duplicate: false);
        return (state, audit);
    }

    private static DateTimeOffset T => Planned.Release.Start;

    [Fact]
    public void Build_ChangedItems_CountsDoneAndNotApplicablePerPhase()
    {
        var (state, audit) = Apply(
            ("planning-date-window", ItemAction.Complete, null, T.AddDays(-14)),
            ("infra-db-migrations", ItemAction.MarkNotApplicable, null, T.AddDays(-5)),
            ("preflight-dashboards", ItemAction.Complete, null, T.AddDays(-1)));

        var dashboard = ReleaseDashboardBuilder.Build(state, audit, T.AddDays(-1));

        var phases = dashboard.Phases.ToDictionary(p => p.Id);
        Assert.Equal((2, 20), (phases["pre-release"].Done, phases["pre-release"].Total));
        Assert.Equal((1, 12), (phases["release-day"].Done, phases["release-day"].Total));
        Assert.False(phases["rollback"].Scheduled);
        Assert.Equal("Pre-Release Coordination (1-2 weeks before)", phases["pre-release"].Title);
    }

    [Fact]
    public void Build_BlockedItem_ListedFirstAndOverdueFlagged()
    {
        var (state, audit) = Apply(("risk-on-call", ItemAction.Block, "No on-call volunteer", T.AddDays(-3)));

        var dashboard = ReleaseDashboardBuilder.Build(state, audit, T.AddDays(-4).AddMinutes(1));

        var first = dashboard.Items[0];
        Assert.Equal(("risk-on-call", "blocked", "No on-call volunteer"), (first.Id, first.Status, first.Note));
        Assert.Equal(["Dave Engineering-Lead"], first.People);
        Assert.Equal(["planning-date-window", "planning-scope", "planning-prs-merged", "planning-release-notes", "planning-breaking-changes", "team-dev-complete", "team-automation-coverage"],
            dashboard.Items.Where(i => i.Overdue).Select(i => i.Id));
        Assert.Equal(1, dashboard.Totals.Blocked);
    }

    [Fact]
    public void Build_DueTimes_FormattedInTheTeamsTimeZone()
    {
        var (state, audit) = Apply();

        var dashboard = ReleaseDashboardBuilder.Build(state, audit, T.AddDays(-20));

        // T = 16 June 2026 10:00 in Berlin (CEST, 08:00 UTC); the deployment starts at T+15m.
        Assert.Equal("Tue 16 Jun 10:15", dashboard.Items.Single(i => i.Id == "deploy-initiated").DueLocal);
        Assert.Equal("Europe/Berlin", dashboard.Release.TimeZone);
        Assert.Null(dashboard.GoNoGo);
        Assert.Null(dashboard.Outbox);
    }

    [Fact]
    public void Build_Burndown_FollowsAuditAndPlan()
    {
        var (state, audit) = Apply(
            ("planning-date-window", ItemAction.Complete, null, T.AddDays(-14)),
            ("planning-scope", ItemAction.Complete, null, T.AddDays(-12)),
            ("planning-scope", ItemAction.Reopen, null, T.AddDays(-11)));

        var burndown = ReleaseDashboardBuilder.Build(state, audit, T.AddDays(-10)).Burndown;

        var required = Planned.Items.Count(i => i.Required && i.DueAt is not null);
        Assert.Equal(required, burndown.TotalRequired);
        Assert.Equal([required, required - 1, required - 2, required - 1, required - 1], burndown.Actual.Select(p => p.Open));
        Assert.Equal(required, burndown.Plan[0].Open);
        Assert.Equal(0, burndown.Plan[^1].Open);
        Assert.True(burndown.Plan.Zip(burndown.Plan.Skip(1)).All(p => p.First.Open >= p.Second.Open && p.First.At < p.Second.At));
    }

    [Fact]
    public void Build_Timeline_NewestFirstWithItemText()
    {
        var (state, audit) = Apply(("planning-scope", ItemAction.Complete, null, T.AddDays(-12)));

        var timeline = ReleaseDashboardBuilder.Build(state, audit, T).Timeline;

        Assert.Equal(["completed", "created the release"], timeline.Select(e => e.Summary));
        Assert.Equal("Release scope finalized with Product Manager", timeline[0].ItemText);
        Assert.Equal(("Open", "Done"), (timeline[0].Before, timeline[0].After));
    }

    [Fact]
    public void Build_CustomTemplateRelease_TakesPhaseAndSectionTitlesFromItsOutline()
    {
        var planned = MobileTemplate.Planned(new ReleaseBuilder().On(2026, 6, 16));
        var state = ReleaseState.Draft(planned.Release, planned.Items);

        var dashboard = ReleaseDashboardBuilder.Build(state, [planned.Created], planned.Release.Start.AddDays(-5));

        Assert.Equal(["Store preparation", "Staged rollout"], dashboard.Phases.Select(p => p.Title));
        Assert.Equal("Store listing", dashboard.Items.Single(i => i.Id == "screenshots").SectionTitle);
        Assert.Equal("Rollout steps", dashboard.Items.Single(i => i.Id == "rollout-10").SectionTitle);
    }
}
