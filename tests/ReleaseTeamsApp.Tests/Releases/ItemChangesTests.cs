using Microsoft.Extensions.Time.Testing;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Tests.Testing;

namespace ReleaseTeamsApp.Tests.Releases;

public sealed class ItemChangesTests
{
    // Bob (QA Automation Engineer) owns it; due 2026-06-13 08:00 UTC (T-3d).
    private const string BobsItem = "infra-staging-smoke";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 6, 10, 9, 0, 0, TimeSpan.Zero));
    private readonly PlannedRelease _planned = new ReleaseBuilder().On(2026, 6, 16).BuildPlanned();

    [Fact]
    public void Apply_OwnerCompletes_ItemIsDoneAndAudited()
    {
        var change = new ItemChange(BobsItem, ItemAction.Complete, People.Bob, Note: "green on staging");

        var outcome = Apply(change);

        var applied = Assert.IsType<ItemChangeOutcome.Applied>(outcome);
        Assert.Equal(ItemStatus.Done, applied.Item.Status);
        Assert.Equal(People.Bob, applied.Item.ChangedBy);
        Assert.Equal(_clock.GetUtcNow(), applied.Item.CompletedAt);
        Assert.Equal("green on staging", applied.Item.Note);
        Assert.Equal(
            new AuditEvent(_planned.Release.Id, _clock.GetUtcNow(), People.Bob, AuditActions.ItemCompleted, BobsItem, "Open", "Done", "green on staging"),
            applied.Audit);
    }

    [Fact]
    public void Apply_ReleaseManagerCompletesSomeoneElsesItem_IsAllowed()
    {
        var change = new ItemChange(BobsItem, ItemAction.Complete, People.Alice);

        var outcome = Apply(change);

        var applied = Assert.IsType<ItemChangeOutcome.Applied>(outcome);
        Assert.Equal(ItemStatus.Done, applied.Item.Status);
        Assert.Equal(People.Alice, applied.Audit.Actor);
    }

    [Fact]
    public void Apply_NonOwnerCompletes_IsRefusedNamingTheOwnerAndTheRole()
    {
        var change = new ItemChange(BobsItem, ItemAction.Complete, People.Heidi);

        var outcome = Apply(change);

        var refused = Assert.IsType<ItemChangeOutcome.Refused>(outcome);
        Assert.Contains(People.Bob.Name, refused.Message, StringComparison.Ordinal);
        Assert.Contains("QA Automation Engineer", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Release Manager", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Staging environment updated and smoke tested", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_NobodyHoldsTheRole_RefusalSaysNobodyIsAssigned()
    {
        var planned = new ReleaseBuilder().WithoutRole(ReleaseRole.QaAutomationEngineer).BuildPlanned();
        var change = new ItemChange(BobsItem, ItemAction.Complete, People.Bob);

        var outcome = ItemChanges.Apply(planned.Release, planned.Item(BobsItem), change, _clock.GetUtcNow());

        var refused = Assert.IsType<ItemChangeOutcome.Refused>(outcome);
        Assert.Contains("QA Automation Engineer (nobody is assigned yet)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_SecondHolderOfTheRole_MayComplete()
    {
        var planned = new ReleaseBuilder().AlsoWithRole(ReleaseRole.QaAutomationEngineer, People.Erin).BuildPlanned();
        var change = new ItemChange(BobsItem, ItemAction.Complete, People.Erin);

        var outcome = ItemChanges.Apply(planned.Release, planned.Item(BobsItem), change, _clock.GetUtcNow());

        Assert.IsType<ItemChangeOutcome.Applied>(outcome);
    }

    [Fact]
    public void Apply_NotApplicableOnRequiredItem_IsRefusedWithWhatToDoInstead()
    {
        var change = new ItemChange(BobsItem, ItemAction.MarkNotApplicable, People.Bob);

        var outcome = Apply(change);

        var refused = Assert.IsType<ItemChangeOutcome.Refused>(outcome);
        Assert.Contains("required", refused.Message, StringComparison.Ordinal);
        Assert.Contains("block it with a reason", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_NotApplicableOnIfApplicableItem_SettlesTheItem()
    {
        var change = new ItemChange("infra-db-migrations", ItemAction.MarkNotApplicable, People.Dave, Note: "no schema change");

        var outcome = ItemChanges.Apply(_planned.Release, _planned.Item("infra-db-migrations"), change, _clock.GetUtcNow());

        var applied = Assert.IsType<ItemChangeOutcome.Applied>(outcome);
        Assert.Equal(ItemStatus.NotApplicable, applied.Item.Status);
        Assert.True(applied.Item.IsSettled);
        Assert.Equal(_clock.GetUtcNow(), applied.Item.CompletedAt);
        Assert.Equal(("N/A", AuditActions.ItemNotApplicable), (applied.Audit.After, applied.Audit.Action));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void Apply_BlockWithoutReason_IsRefused(string? reason)
    {
        var change = new ItemChange(BobsItem, ItemAction.Block, People.Bob, Note: reason);

        var outcome = Apply(change);

        var refused = Assert.IsType<ItemChangeOutcome.Refused>(outcome);
        Assert.Contains("needs a reason", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_BlockWithReason_BlocksAndKeepsTheReason()
    {
        var change = new ItemChange(BobsItem, ItemAction.Block, People.Bob, Note: "  staging is down  ");

        var outcome = Apply(change);

        var applied = Assert.IsType<ItemChangeOutcome.Applied>(outcome);
        Assert.Equal(ItemStatus.Blocked, applied.Item.Status);
        Assert.Equal("staging is down", applied.Item.Note);
        Assert.False(applied.Item.IsSettled);
        Assert.Null(applied.Item.CompletedAt);
    }

    [Fact]
    public void Apply_EmptyNote_IsRefused()
    {
        var change = new ItemChange(BobsItem, ItemAction.Note, People.Bob, Note: " ", EvidenceUrl: null);

        var outcome = Apply(change);

        var refused = Assert.IsType<ItemChangeOutcome.Refused>(outcome);
        Assert.Contains("The note is empty", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://files.octoacme.test/run.log")]
    [InlineData("see the pipeline")]
    [InlineData("javascript:alert(1)")]
    public void Apply_EvidenceThatIsNotAnHttpLink_IsRefused(string evidence)
    {
        var change = new ItemChange(BobsItem, ItemAction.Note, People.Bob, EvidenceUrl: evidence);

        var outcome = Apply(change);

        var refused = Assert.IsType<ItemChangeOutcome.Refused>(outcome);
        Assert.Contains("http(s)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_NoteWithEvidenceLink_KeepsStatusAndRecordsTheLink()
    {
        var change = new ItemChange(BobsItem, ItemAction.Note, People.Bob, EvidenceUrl: "https://ci.octoacme.test/runs/42");

        var outcome = Apply(change);

        var applied = Assert.IsType<ItemChangeOutcome.Applied>(outcome);
        Assert.Equal(ItemStatus.Open, applied.Item.Status);
        Assert.Equal("https://ci.octoacme.test/runs/42", applied.Item.EvidenceUrl);
        Assert.Equal(AuditActions.ItemNoted, applied.Audit.Action);
        Assert.Equal("https://ci.octoacme.test/runs/42", applied.Audit.Note);
    }

    [Fact]
    public void Apply_CompleteTwice_SecondIsUnchanged()
    {
        var done = Assert.IsType<ItemChangeOutcome.Applied>(Apply(new ItemChange(BobsItem, ItemAction.Complete, People.Bob))).Item;
        _clock.Advance(TimeSpan.FromMinutes(1));

        var outcome = ItemChanges.Apply(_planned.Release, done, new ItemChange(BobsItem, ItemAction.Complete, People.Bob), _clock.GetUtcNow());

        var unchanged = Assert.IsType<ItemChangeOutcome.Unchanged>(outcome);
        Assert.Equal(done, unchanged.Item);
    }

    [Fact]
    public void Apply_ReopenDoneItem_ClearsCompletedAt()
    {
        var done = Assert.IsType<ItemChangeOutcome.Applied>(Apply(new ItemChange(BobsItem, ItemAction.Complete, People.Bob))).Item;

        var outcome = ItemChanges.Apply(_planned.Release, done, new ItemChange(BobsItem, ItemAction.Reopen, People.Alice), _clock.GetUtcNow());

        var applied = Assert.IsType<ItemChangeOutcome.Applied>(outcome);
        Assert.Equal(ItemStatus.Open, applied.Item.Status);
        Assert.Null(applied.Item.CompletedAt);
        Assert.Equal(("Done", "Open"), (applied.Audit.Before, applied.Audit.After));
    }

    [Fact]
    public void Apply_ClosedRelease_RefusesEvenTheReleaseManager()
    {
        var closed = _planned.Release with { Status = ReleaseStatus.Closed };

        var outcome = ItemChanges.Apply(closed, _planned.Item(BobsItem), new ItemChange(BobsItem, ItemAction.Complete, People.Alice), _clock.GetUtcNow());

        var refused = Assert.IsType<ItemChangeOutcome.Refused>(outcome);
        Assert.Contains($"Release {closed.Version} is closed", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_CompletedAfterItsDueTime_IsLateByTheDifference()
    {
        var item = _planned.Item(BobsItem);
        var completedAt = item.DueAt!.Value.AddHours(5);

        var outcome = ItemChanges.Apply(_planned.Release, item, new ItemChange(BobsItem, ItemAction.Complete, People.Bob), completedAt);

        var applied = Assert.IsType<ItemChangeOutcome.Applied>(outcome);
        Assert.Equal(TimeSpan.FromHours(5), applied.Item.LateBy);
        Assert.False(applied.Item.IsOverdue(completedAt));
    }

    [Fact]
    public void Apply_CompletedBeforeItsDueTime_IsNotLate()
    {
        var item = _planned.Item(BobsItem);

        var outcome = Apply(new ItemChange(BobsItem, ItemAction.Complete, People.Bob));

        var applied = Assert.IsType<ItemChangeOutcome.Applied>(outcome);
        Assert.True(_clock.GetUtcNow() < item.DueAt);
        Assert.Null(applied.Item.LateBy);
    }

    [Fact]
    public void IsOverdue_OpenItemPastItsDueTime_IsOverdueUntilSettled()
    {
        var item = _planned.Item(BobsItem);
        var afterDue = item.DueAt!.Value.AddMinutes(1);

        var overdue = item.IsOverdue(afterDue);

        Assert.True(overdue);
        Assert.False(item.IsOverdue(item.DueAt.Value.AddMinutes(-1)));
        Assert.False((item with { Status = ItemStatus.Done }).IsOverdue(afterDue));
        Assert.True((item with { Status = ItemStatus.Blocked }).IsOverdue(afterDue));
    }

    private ItemChangeOutcome Apply(ItemChange change) =>
        ItemChanges.Apply(_planned.Release, _planned.Item(change.ItemId), change, _clock.GetUtcNow());
}
