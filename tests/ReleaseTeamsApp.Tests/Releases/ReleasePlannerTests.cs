using Microsoft.Extensions.Time.Testing;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Tests.Testing;

namespace ReleaseTeamsApp.Tests.Releases;

public sealed class ReleasePlannerTests
{
    [Fact]
    public void PlanItems_BerlinSummerRelease_ReleaseDayItemsAreDueFromTheLocalWindowStart()
    {
        var planned = new ReleaseBuilder().On(2026, 6, 16).WithWindow(new TimeOnly(10, 0), new TimeOnly(12, 0)).InTimeZone("Europe/Berlin").BuildPlanned();

        var items = planned.Items;

        // 10:00 CEST is 08:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 6, 16, 8, 0, 0, TimeSpan.Zero), planned.Release.Start);
        Assert.Equal(planned.Release.Start, Due(items, "preflight-staging-smoke"));
        Assert.Equal(new DateTimeOffset(2026, 6, 16, 8, 15, 0, TimeSpan.Zero), Due(items, "deploy-initiated"));
        Assert.Equal(new DateTimeOffset(2026, 6, 16, 9, 30, 0, TimeSpan.Zero), Due(items, "deploy-no-critical-errors"));
    }

    [Fact]
    public void PlanItems_NewYorkWinterRelease_DueTimesFollowEasternStandardTime()
    {
        var planned = new ReleaseBuilder().On(2026, 1, 20).WithWindow(new TimeOnly(18, 0), new TimeOnly(20, 0)).InTimeZone("America/New_York").BuildPlanned();

        var items = planned.Items;

        // 18:00 EST is 23:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 1, 20, 23, 0, 0, TimeSpan.Zero), planned.Release.Start);
        Assert.Equal(new DateTimeOffset(2026, 1, 21, 1, 0, 0, TimeSpan.Zero), Due(items, "postdeploy-announcement"));
        Assert.Equal(new DateTimeOffset(2026, 1, 27, 23, 0, 0, TimeSpan.Zero), Due(items, "post-lessons-learned"));
    }

    [Fact]
    public void PlanItems_BerlinReleaseAfterSpringForward_DayOffsetsKeepTheWindowStartWallClockTime()
    {
        // Berlin moves to summer time on 2026-03-29: T-14d falls in winter time.
        var planned = new ReleaseBuilder().On(2026, 4, 7).WithWindow(new TimeOnly(10, 0), new TimeOnly(12, 0)).InTimeZone("Europe/Berlin").BuildPlanned();

        var dueLocal = planned.Release.ToLocal(Due(planned.Items, "planning-date-window"));

        Assert.Equal(new DateTime(2026, 3, 24, 10, 0, 0), dueLocal.DateTime);
    }

    [Fact]
    public void PlanItems_DefaultTemplate_CopiesEveryTemplateItemInOrderAsOpen()
    {
        var planned = new ReleaseBuilder().BuildPlanned();

        var items = planned.Items;

        Assert.Equal(ChecklistTemplateLoader.Default.Items.Select(i => i.Item.Id), items.Select(i => i.Id));
        Assert.Equal(Enumerable.Range(0, items.Count), items.Select(i => i.Order));
        Assert.All(items, i => Assert.Equal(ItemStatus.Open, i.Status));
        Assert.Equal("infrastructure", planned.Item("infra-db-migrations").SectionId);
        Assert.False(planned.Item("infra-db-migrations").Required);
    }

    [Fact]
    public void PlanItems_RollbackPhase_HasNoDueTimesUntilTriggered()
    {
        var planned = new ReleaseBuilder().BuildPlanned();

        var rollback = planned.Items.Where(i => i.PhaseId == "rollback").ToList();

        Assert.Equal(5, rollback.Count);
        Assert.All(rollback, i => Assert.Null(i.DueAt));
        Assert.All(planned.Items.Where(i => i.PhaseId != "rollback"), i => Assert.NotNull(i.DueAt));
    }

    [Fact]
    public void Trigger_Rollback_MakesItsItemsDueCountedFromNow()
    {
        var planned = new ReleaseBuilder().BuildPlanned();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 16, 9, 12, 0, TimeSpan.Zero));

        var triggered = ReleasePlanner.Trigger("rollback", planned.Items, clock.GetUtcNow());

        Assert.Equal(["rollback-incident", "rollback-decision", "rollback-executed", "rollback-retro", "rollback-rca"], triggered.Select(i => i.Id));
        Assert.Equal(clock.GetUtcNow(), Due(triggered, "rollback-incident"));
        Assert.Equal(clock.GetUtcNow().AddMinutes(30), Due(triggered, "rollback-decision"));
        Assert.Equal(clock.GetUtcNow().AddDays(2), Due(triggered, "rollback-rca"));
    }

    [Fact]
    public void Trigger_AlreadyTriggeredPhase_DoesNotRestartTheClock()
    {
        var planned = new ReleaseBuilder().BuildPlanned();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 16, 9, 12, 0, TimeSpan.Zero));
        var first = ReleasePlanner.Trigger("rollback", planned.Items, clock.GetUtcNow());
        var items = planned.Items.Select(i => first.FirstOrDefault(f => f.Id == i.Id) ?? i).ToList();
        clock.Advance(TimeSpan.FromHours(1));

        var second = ReleasePlanner.Trigger("rollback", items, clock.GetUtcNow());

        Assert.Empty(second);
    }

    [Fact]
    public void Replan_ReleaseSlipsTwoDays_MovesOpenAndBlockedItemsButNotSettledOnes()
    {
        var planned = new ReleaseBuilder().On(2026, 6, 16).BuildPlanned();
        var now = new DateTimeOffset(2026, 6, 5, 9, 0, 0, TimeSpan.Zero);
        var items = planned.Items.Select(i => i.Id switch
        {
            "planning-date-window" => i with { Status = ItemStatus.Done, CompletedAt = now },
            "infra-db-migrations" => i with { Status = ItemStatus.NotApplicable, CompletedAt = now },
            "risk-register" => i with { Status = ItemStatus.Blocked, Note = "waiting for security" },
            _ => i,
        }).ToList();
        var moved = planned.Release with { ReleaseDate = new DateOnly(2026, 6, 18) };

        var changes = ReleasePlanner.Replan(moved, items);

        var movedIds = changes.Select(c => c.Item.Id).ToList();
        Assert.DoesNotContain("planning-date-window", movedIds);
        Assert.DoesNotContain("infra-db-migrations", movedIds);
        Assert.Contains("risk-register", movedIds);
        Assert.Equal(items.Count(i => !i.IsSettled && i.DueAt is not null), changes.Count);
        Assert.All(changes, c => Assert.Equal(TimeSpan.FromDays(2), c.To - c.From));
        Assert.All(changes, c => Assert.Equal(c.To, c.Item.DueAt));
    }

    [Fact]
    public void Replan_SameDate_MovesNothing()
    {
        var planned = new ReleaseBuilder().BuildPlanned();

        var changes = ReleasePlanner.Replan(planned.Release, planned.Items);

        Assert.Empty(changes);
    }

    [Fact]
    public void Replan_WindowMovesLater_MovesReleaseDayItemsByTheSameAmount()
    {
        var planned = new ReleaseBuilder().WithWindow(new TimeOnly(10, 0), new TimeOnly(12, 0)).BuildPlanned();
        var moved = planned.Release with { Window = new DeploymentWindow(new TimeOnly(14, 0), new TimeOnly(16, 0)) };

        var changes = ReleasePlanner.Replan(moved, planned.Items);

        var deploy = changes.Single(c => c.Item.Id == "deploy-initiated");
        Assert.Equal(moved.Start.AddMinutes(15), deploy.To);
        Assert.Equal(TimeSpan.FromHours(4), deploy.To - deploy.From);
    }

    [Fact]
    public void Replan_AfterRollbackWasTriggered_RollbackItemsKeepDueTimesCountedFromTheTrigger()
    {
        var planned = new ReleaseBuilder().On(2026, 6, 16).BuildPlanned();
        var triggeredAt = new DateTimeOffset(2026, 6, 16, 9, 12, 0, TimeSpan.Zero);
        var triggered = ReleasePlanner.Trigger("rollback", planned.Items, triggeredAt);
        var items = planned.Items.Select(i => triggered.FirstOrDefault(t => t.Id == i.Id) ?? i).ToList();
        var rescheduled = planned.Release with { ReleaseDate = new DateOnly(2026, 6, 23) };

        var changes = ReleasePlanner.Replan(rescheduled, items);

        // The rollback is under way: its RCA is due two days after the trigger, whatever date the re-release gets.
        Assert.DoesNotContain(changes, c => c.Item.PhaseId == "rollback");
    }

    private static DateTimeOffset Due(IEnumerable<ChecklistItem> items, string id) =>
        items.Single(i => i.Id == id).DueAt ?? throw new InvalidOperationException($"{id} has no due time.");
}
