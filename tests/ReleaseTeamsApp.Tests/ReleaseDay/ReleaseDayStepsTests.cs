using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Closing;
using ReleaseTeamsApp.ReleaseDay;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;

namespace ReleaseTeamsApp.Tests.ReleaseDay;

public sealed class ReleaseDayStepsTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 16, 8, 0, 0, TimeSpan.Zero);

    private static ReleaseState State(bool allPreReleaseDone)
    {
        var planned = new ReleaseBuilder()
            .WithRole(ReleaseRole.ReleaseManager, People.Alice)
            .WithRole(ReleaseRole.QaAutomationEngineer, People.Bob)
            .WithRole(ReleaseRole.ProductManager, People.Carol)
            .WithRole(ReleaseRole.EngineeringLead, People.Dave)
            .WithRole(ReleaseRole.ManualQa, People.Erin)
            .BuildPlanned();
        var items = planned.Items.Select(i => allPreReleaseDone && i.PhaseId == "pre-release" ? i with { Status = ItemStatus.Done, CompletedAt = Now } : i).ToList();
        return ReleaseState.Draft(planned.Release, items);
    }

    private static ReleaseState Apply(ReleaseState state, ReleaseChange outcome)
    {
        Assert.True(outcome.Applied, outcome.Message);
        var items = state.Items.Select(i => outcome.Items!.FirstOrDefault(c => c.Id == i.Id) ?? i).ToList();
        return ReleaseState.Draft(outcome.Release ?? state.Release, items);
    }

    [Fact]
    public void Readiness_NothingDone_ScoresOnlyTheNoBlockersPart()
    {
        var readiness = Readiness.Of(State(allPreReleaseDone: false));

        Assert.Equal(20, readiness.Score);
        Assert.False(readiness.IsReady);
        Assert.Equal(0, readiness.RequiredDone);
    }

    [Fact]
    public void Readiness_ItemsDoneAndTwoOfFourSignOffs_Scores80()
    {
        var state = State(allPreReleaseDone: true);
        state = Apply(state, ReleaseDaySteps.Vote(state, People.Carol, GoNoGoVote.Go, null, Now));
        state = Apply(state, ReleaseDaySteps.Vote(state, People.Dave, GoNoGoVote.Go, "looks good", Now));

        var readiness = Readiness.Of(state);

        Assert.Equal(40 + 20 + 20, readiness.Score);
        Assert.True(readiness.IsReady);
    }

    [Fact]
    public void Decide_GoWhileAVetoStands_IsRefusedUnlessOverridden()
    {
        var state = State(allPreReleaseDone: true);
        state = Apply(state, ReleaseDaySteps.Vote(state, People.Bob, GoNoGoVote.NoGo, "flaky e2e suite", Now));

        var refused = ReleaseDaySteps.Decide(state, People.Alice, GoNoGoVote.Go, null, Now);
        var overridden = ReleaseDaySteps.Decide(state, People.Alice, GoNoGoVote.Go, "flake is known, fix is in", Now);

        Assert.False(refused.Applied);
        Assert.Contains("flaky e2e suite", refused.Message, StringComparison.Ordinal);
        Assert.True(overridden.Applied);
        Assert.Equal("flake is known, fix is in", overridden.Release!.GoNoGo!.Decision!.OverrideReason);
        Assert.Contains(overridden.Audit!, a => a.Action == AuditActions.GoNoGoOverridden);
    }

    [Fact]
    public void Vote_ByAPersonWithoutASignOffRole_IsRefused()
    {
        var outcome = ReleaseDaySteps.Vote(State(true), People.Mallory, GoNoGoVote.Go, null, Now);

        Assert.False(outcome.Applied);
    }

    [Fact]
    public void StartDeployment_WithoutGo_IsRefusedUnlessTheManagerGivesAReason()
    {
        var state = State(allPreReleaseDone: true);

        var refused = ReleaseDaySteps.StartDeployment(state, People.Alice, null, Now);
        var forced = ReleaseDaySteps.StartDeployment(state, People.Alice, "hotfix for outage", Now);

        Assert.False(refused.Applied);
        Assert.Equal(ReleaseStatus.Deploying, forced.Release!.Status);
        Assert.Equal("hotfix for outage", forced.Release.Deployment!.OverrideReason);
    }

    [Fact]
    public void ApproveRollback_PmThenEngLead_TriggersTheRollbackPhaseWithOwnedDueItems()
    {
        var state = State(allPreReleaseDone: true);
        state = Apply(state, ReleaseDaySteps.RaiseRollback(state, People.Bob, "error rate 12%", "rb1", Now));

        var byBystander = ReleaseDaySteps.ApproveRollback(state, People.Mallory, null, Now);
        state = Apply(state, ReleaseDaySteps.ApproveRollback(state, People.Carol, null, Now));
        Assert.Equal(ReleaseStatus.Planning, state.Release.Status);
        state = Apply(state, ReleaseDaySteps.ApproveRollback(state, People.Dave, null, Now.AddMinutes(5)));

        Assert.False(byBystander.Applied);
        Assert.Equal(ReleaseStatus.RolledBack, state.Release.Status);
        var rollbackItems = state.Phase("rollback").ToList();
        Assert.All(rollbackItems, i => Assert.NotNull(i.DueAt));
        Assert.Equal(ReleaseRole.ReleaseManager, state.Item("rollback-retro")!.Owner);
        Assert.Equal(ReleaseRole.EngineeringLead, state.Item("rollback-rca")!.Owner);
        Assert.Equal(ItemStatus.Done, state.Item("rollback-decision")!.Status);
    }

    [Fact]
    public void Close_WithOpenItems_ListsThemUnlessForced()
    {
        var state = State(allPreReleaseDone: false);

        var refused = ReleaseClose.ByManager(state, People.Alice, null, Now);
        var forced = ReleaseClose.ByManager(state, People.Alice, "moved to 2.5", Now);

        Assert.False(refused.Applied);
        Assert.Contains("Release date and deployment window confirmed", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ReleaseStatus.Closed, forced.Release!.Status);
        Assert.Contains(forced.Audit!, a => a.Action == AuditActions.ReleaseClosed);
    }

    [Fact]
    public void Cards_EveryReleaseDayCard_IsValid()
    {
        var state = State(allPreReleaseDone: true);
        state = Apply(state, ReleaseDaySteps.Vote(state, People.Bob, GoNoGoVote.NoGo, "flaky", Now));
        state = Apply(state, ReleaseDaySteps.RaiseRollback(state, People.Bob, "errors", "rb1", Now));
        var rollback = state.Release.Rollbacks[0];

        AdaptiveCardSchema.AssertValid(ReleaseDayCards.GoNoGo(state, new CardNotice("x")), "go/no-go");
        AdaptiveCardSchema.AssertValid(ReleaseDayCards.RollbackDecision(state, rollback), "rollback decision");
        AdaptiveCardSchema.AssertValid(ReleaseDayCards.IncidentNotice(state.Release, rollback), "incident notice");
        AdaptiveCardSchema.AssertValid(ReleaseReportCard.Build(state, new Closer.Manager(People.Alice, null)), "report");
    }
}
