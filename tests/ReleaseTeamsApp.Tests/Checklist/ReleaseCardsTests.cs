using Microsoft.Extensions.Time.Testing;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;

namespace ReleaseTeamsApp.Tests.Checklist;

public sealed class ReleaseCardsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Phase_LargestPhaseWithLongNotesAndLinksOnEveryItem_StaysValidAndWithinTwentyKilobytes()
    {
        var planned = new ReleaseBuilder().On(2026, 12, 10).WithRole(ReleaseRole.ReleaseManager, People.Alice).BuildPlanned();
        var longest = "https://dev.azure.com/octoacme/platform/_build/results?buildId=1234567&view=logs&j=".PadRight(ItemChanges.MaxEvidenceUrlLength, 'a');
        var items = planned.Items.Select(i => i with { Note = new string('n', ItemChanges.MaxNoteLength), EvidenceUrl = longest, Status = ItemStatus.Blocked }).ToList();
        var state = ReleaseState.Draft(planned.Release, items);
        var cards = new ReleaseCards(new FakeTimeProvider(Now));
        var largest = ReleaseCards.PhasesOf(state).MaxBy(p => state.Phase(p.Id).Count())!;

        var managerView = cards.Phase(state, largest.Id, People.Alice, new CardNotice(new string('x', 300)));
        var channelView = cards.Phase(state, largest.Id, null);

        AdaptiveCardSchema.AssertValid(managerView, "the Release Manager's view of the largest phase");
        AdaptiveCardSchema.AssertValid(channelView, "the channel view of the largest phase");
        Assert.Equal(20, state.Phase(largest.Id).Count());
    }

    [Fact]
    public void Phase_ViewerWithoutRole_GetsReadOnlyViewWithoutItemButtons()
    {
        var planned = new ReleaseBuilder().On(2026, 12, 10).WithRole(ReleaseRole.ReleaseManager, People.Alice).BuildPlanned();
        var state = ReleaseState.Draft(planned.Release, planned.Items);

        var card = new ReleaseCards(new FakeTimeProvider(Now)).Phase(state, "pre-release", People.Mallory);

        var json = card.ToJsonString();
        Assert.Contains("you have no role in release", json);
        Assert.DoesNotContain("\"item.complete\"", json);
        Assert.DoesNotContain("Input.ChoiceSet", json);
    }

    [Fact]
    public void Phase_OverdueItem_IsMarkedWithIconTextAndAttentionColour()
    {
        var planned = new ReleaseBuilder().On(2026, 12, 10).InTimeZone("Europe/Berlin").WithRole(ReleaseRole.ReleaseManager, People.Alice).BuildPlanned();
        var state = ReleaseState.Draft(planned.Release, planned.Items);

        var json = new ReleaseCards(new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero))).Phase(state, "pre-release", null)
            .ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        Assert.Contains("⏰ Release date and deployment window confirmed", json);
        Assert.Contains("overdue by 1d 0h (due Thu 26 Nov 10:00)", json);
        Assert.Contains("\"color\":\"Attention\"", json);
    }

    [Fact]
    public void Summary_EveryTemplateCard_IsValidAdaptiveCard()
    {
        var planned = new ReleaseBuilder().On(2026, 12, 10).WithRole(ReleaseRole.ReleaseManager, People.Alice).BuildPlanned();
        var state = ReleaseState.Draft(planned.Release, planned.Items);
        var cards = new ReleaseCards(new FakeTimeProvider(Now));

        AdaptiveCardSchema.AssertValid(cards.Summary(state), "the summary card");
        AdaptiveCardSchema.AssertValid(cards.MyItems(People.Alice, [state]), "my items");
        AdaptiveCardSchema.AssertValid(ReleaseCards.Notice("Title", "Message", NoticeStyle.Attention, "hint"), "a notice");
    }

    [Fact]
    public void Summary_CustomTemplateRelease_ShowsItsOwnDutiesAndPhases()
    {
        var planned = MobileTemplate.Planned(new ReleaseBuilder().On(2026, 12, 10));
        var state = ReleaseState.Draft(planned.Release, planned.Items);

        var card = new ReleaseCards(new FakeTimeProvider(Now)).Summary(state);

        var json = card.ToJsonString();
        Assert.Contains("Mobile RM duties", json, StringComparison.Ordinal);
        Assert.Contains("- Watch the crash-free rate in the store console", json, StringComparison.Ordinal);
        Assert.Contains("Staged rollout", json, StringComparison.Ordinal);
        Assert.DoesNotContain(ChecklistTemplateLoader.Default.ReleaseManagerDuties!.Title, json, StringComparison.Ordinal);
        AdaptiveCardSchema.AssertValid(card, "the summary card of a custom-template release");
    }

    [Fact]
    public void Summary_BuiltInReleaseWithoutStoredOutline_ShowsBuiltInDuties()
    {
        var planned = new ReleaseBuilder().On(2026, 12, 10).BuildPlanned();
        var state = ReleaseState.Draft(planned.Release with { Outline = null }, planned.Items);

        var json = new ReleaseCards(new FakeTimeProvider(Now)).Summary(state).ToJsonString();

        Assert.Contains(ChecklistTemplateLoader.Default.ReleaseManagerDuties!.Title, json, StringComparison.Ordinal);
    }
}
