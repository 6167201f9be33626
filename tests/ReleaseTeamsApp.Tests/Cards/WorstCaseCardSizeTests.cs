using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReleaseTeamsApp.BotProtocol;
using Microsoft.Extensions.Time.Testing;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Closing;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Planning;
using ReleaseTeamsApp.ReleaseDay;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;
using Xunit.Abstractions;

namespace ReleaseTeamsApp.Tests.Cards;

/// <summary>
/// The worst case for card size: 5 releases in one channel, one person holding every role, a 90-item custom template
/// (every item in one phase but four, so one phase card holds 86), every text at its limit, every item blocked with a
/// note and evidence. Limits used: item text 300 and the template's item count 90 (ChecklistTemplateLoader), note 500 and
/// evidence address 150 (ItemChanges), version 40 (the command parser); fields without a server-side limit yet are tested
/// at 500 characters (scope, reasons, vote comments) and person names at 256.
/// Every card the flows build from that state is rendered and must stay within 20 KB.
/// </summary>
public sealed class WorstCaseCardSizeTests(ITestOutputHelper output)
{
    private const int Releases = 5;
    private const int FieldWithoutLimit = 500;

    private static readonly DateTimeOffset Now = new(2026, 12, 20, 9, 0, 0, TimeSpan.Zero);

    private static readonly Person Everyone = new("29:" + new string('e', 60), new string('E', 256), "aad-everyone", "everyone@octoacme.test");

    [Fact]
    public void EveryCard_WorstCaseData_StaysWithinTwentyKilobytes()
    {
        var states = Enumerable.Range(0, Releases).Select(WorstRelease).ToList();
        var state = states[0];
        var cards = new ReleaseCards(new FakeTimeProvider(Now));
        var rollback = state.Release.Rollbacks[0];
        var rendered = new List<(string Kind, JsonObject Card)>
        {
            ("summary", cards.Summary(state)),
            ("summary (10 people per role with names at the limit)", cards.Summary(Staffed(state), new CardNotice(Long('n', FieldWithoutLimit)))),
            ("my items across 5 releases", cards.MyItems(Everyone, states)),
            ("reminder digest", ReminderCards.Digest(new ReminderDigest(state.Release, ReminderKind.Reminder, Everyone, state.Items), Now)),
            ("escalation", ReminderCards.Digest(new ReminderDigest(state.Release, ReminderKind.Escalation, Everyone, state.Items), Now)),
            ("go/no-go", ReleaseDayCards.GoNoGo(state, new CardNotice(Long('n', FieldWithoutLimit)))),
            ("rollback decision", ReleaseDayCards.RollbackDecision(state, rollback, new CardNotice(Long('n', FieldWithoutLimit)))),
            ("incident notice", ReleaseDayCards.IncidentNotice(state.Release, rollback)),
            ("release report", ReleaseReportCard.Build(state, new Closer.Manager(Everyone, null))),
            ("follow-up report", ReleaseReportCard.Build(state, Closer.AllSettled)),
            ("follow-up check-in", ReminderCards.FollowUp(state.Release, new FollowUpPrompt(Long('t', 300), Long('x', FieldWithoutLimit),
                Enumerable.Range(0, 8).Select(i => new CardFact(Long('f', 60), Long('v', 300))).ToList(), state.Items[0], "Done", CanRaiseIssue: true))),
            ("announcement preview", GraphCards.AnnouncementPreview(state.Release, AnnouncementKind.Release, Announcement(state))),
            ("retrospective", GraphCards.Retrospective(state.Release, new OutboxResult("event", "https://teams.microsoft.com/l/meetup-join/" + Long('j', 300), "https://outlook.office.com/calendar/" + Long('w', 300), Now), 100,
                Enumerable.Range(0, 20).Select(_ => Long('n', 300)).ToList())),
            ("notice", ReleaseCards.Notice(Long('t', 300), Long('m', FieldWithoutLimit), NoticeStyle.Warning, Long('h', FieldWithoutLimit))),
            ("welcome", StartCards.Welcome(Long('a', 30), Long('b', 256))),
            ("help", StartCards.Help(Long('a', 30), ReleaseTeamsApp.Tests.Teams.AppRouter.Build().Help, new CardNotice(Long('n', FieldWithoutLimit)))),
            ("new release form (100 team templates, every field at its limit, refused)", new StartCards(new FakeTimeProvider(Now)).NewReleaseForm(
                Enumerable.Range(0, 100).Select(i => new TemplateSummary($"{Long('t', 60)}-{i}", 9, Long('n', 300), 90, null, null, false)).ToList(),
                new NewReleaseFormValues(Long('v', TextLimits.Version), "2026-12-24", "22:00", "02:00", "America/Argentina/Buenos_Aires", "x", Long('s', TextLimits.Scope)),
                "America/Argentina/Buenos_Aires",
                new CardNotice(Long('n', FieldWithoutLimit)))),
        };
        foreach (var phase in ReleaseCards.PhasesOf(state))
        {
            rendered.Add(($"phase {phase.Id} (channel)", cards.Phase(state, phase.Id, null)));
            rendered.Add(($"phase {phase.Id} (holder of every role)", cards.Phase(state, phase.Id, Everyone, new CardNotice(Long('n', 300)))));
            rendered.Add(($"phase {phase.Id} (stranger)", cards.Phase(state, phase.Id, People.Mallory)));
        }

        var sizes = rendered.Select(r => (r.Kind, Bytes: CardBudget.Bytes(r.Card))).ToList();
        output.WriteLine(string.Join("\n", sizes.Select(s => $"{s.Kind}: {s.Bytes} bytes")));

        Assert.Equal(ChecklistTemplateLoader.MaxItems, state.Items.Count);
        Assert.All(rendered, r => AdaptiveCardSchema.AssertValid(r.Card, $"the {r.Kind} card of the worst case"));
        Assert.All(sizes, s => Assert.True(s.Bytes <= AdaptiveCardSchema.MaxCardBytes, $"{s.Kind} is {s.Bytes} bytes"));
    }

    /// <summary>Every role held by 10 different people with names at their limit, so every people picker is prefilled.</summary>
    private static ReleaseState Staffed(ReleaseState state)
    {
        var roles = RoleAssignments.Empty;
        foreach (var role in ReleaseRoles.All)
        {
            roles = roles.Assign(role, [.. Enumerable.Range(0, 10).Select(i => new Person($"29:{role}-{i}", Long((char)('a' + i), 256), Guid.NewGuid().ToString(), $"{role}-{i}@octoacme.test"))]);
        }

        return ReleaseState.Draft(state.Release with { Roles = roles }, state.Items);
    }

    [Fact]
    public void MyItems_MoreItemsThanTheCardShows_SaysHowManyMoreAndWhereToSeeThem()
    {
        var states = Enumerable.Range(0, Releases).Select(WorstRelease).ToList();

        var card = new ReleaseCards(new FakeTimeProvider(Now)).MyItems(Everyone, states).ToJsonString();

        var open = states.Sum(s => s.Items.Count(i => !i.IsSettled && i.DueAt is not null));
        Assert.Contains($"and {open - ReleaseCards.MaxMyItemsShown} more", card, StringComparison.Ordinal);
        Assert.Contains("dashboard", card, StringComparison.Ordinal);
    }

    [Fact]
    public void MoveNotice_EveryItemMovedAndTwentyPeoplePerRole_StaysWithinTheMessageBudgetAndMentionsWhomItNames()
    {
        var state = WorstRelease(0);
        var crowded = ReleaseRoles.All.Aggregate(state.Release.Roles, (roles, role) => roles.Assign(role,
            Enumerable.Range(0, 20).Select(i => new Person($"29:{role}-{i}", Long('<', 200) + i.ToString(CultureInfo.InvariantCulture))).ToArray()));
        var release = state.Release with { Roles = crowded };

        var message = ReleaseMovedNotice.Message(release, Long('h', 400), state.Items.Select(i => new DueTimeMoved(i, Now, Now.AddDays(1))).ToList());

        Assert.True(Encoding.UTF8.GetByteCount(message.Text!) <= ReleaseMovedNotice.MaxBytes, $"the release-moved notice is {Encoding.UTF8.GetByteCount(message.Text!)} bytes");
        Assert.Contains("more owners", message.Text, StringComparison.Ordinal);
        var mentions = message.GetMentions().ToList();
        Assert.NotEmpty(mentions);
        Assert.All(mentions, m => Assert.Contains(m.Text!, message.Text, StringComparison.Ordinal));
        Assert.Equal(mentions.Count, Regex.Count(message.Text!, "<at>"));
    }

    private static AnnouncementPreview Announcement(ReleaseState state) =>
        new(Long('s', 300), string.Concat(Enumerable.Range(0, 40).Select(_ => $"<p>{Long('p', 300)}</p>")),
            Enumerable.Range(0, 100).Select(i => $"{Long('r', 60)}{i}@octoacme.test").ToList());

    private static ReleaseState WorstRelease(int index)
    {
        var template = ChecklistTemplateLoader.Load(NinetyItemTemplate()).Template ?? throw new InvalidOperationException("the 90-item template does not load");
        var builder = new ReleaseBuilder()
            .WithVersion((index.ToString(CultureInfo.InvariantCulture) + ".").PadRight(40, '9'))
            .On(2026, 12, 21 + index)
            .FromTemplate(template);
        foreach (var role in ReleaseRoles.All)
        {
            builder.WithRole(role, Everyone);
        }

        var planned = builder.BuildPlanned();
        var evidence = "https://dev.azure.com/octoacme/platform/_build/results?buildId=1&view=logs&j=".PadRight(ItemChanges.MaxEvidenceUrlLength, 'a');
        var items = planned.Items.Select(i => i with
        {
            Status = ItemStatus.Blocked,
            Note = Long('n', ItemChanges.MaxNoteLength),
            EvidenceUrl = evidence,
            DueAt = i.DueAt ?? Now.AddDays(-1),
        }).ToList();
        var release = planned.Release with
        {
            Outline = ChecklistOutline.From(template),
            Scope = Long('s', FieldWithoutLimit),
            Status = ReleaseStatus.Deployed,
            Deployment = new Deployment(Now.AddHours(-3), Everyone, Now.AddHours(-2), Everyone, Long('o', FieldWithoutLimit)),
            GoNoGo = new GoNoGo(
                ReleaseRoles.All.Select(r => new SignOff(r, Everyone, GoNoGoVote.NoGo, Long('c', FieldWithoutLimit), Now.AddHours(-4))).ToList(),
                new GoNoGoDecision(GoNoGoVote.Go, Everyone, Now.AddHours(-4), 10, Long('c', FieldWithoutLimit), Long('o', FieldWithoutLimit))),
            Rollbacks = [new RollbackEvent("rb-1", Everyone, Now.AddHours(-1), Long('r', FieldWithoutLimit))],
            Stakeholders = Enumerable.Range(0, 100).Select(i => $"{Long('s', 60)}{i}@octoacme.test").ToList(),
            ClosedAt = Now,
            ForcedCloseReason = Long('f', FieldWithoutLimit),
        };
        return ReleaseState.Draft(release, items);
    }

    // 90 items (the template limit), texts at 300 characters: 86 in one pre-release phase, then release day, post-release and rollback.
    private static string NinetyItemTemplate()
    {
        static string Items(string prefix, int count, string owner, string due) => string.Join(",", Enumerable.Range(0, count).Select(i =>
            $$"""{ "id": "{{prefix}}-{{i}}", "text": "{{Long('t', ChecklistTemplateLoader.MaxTextLength - 4)}}{{i:0000}}", "owner": "{{owner}}", "due": "{{due}}" }"""));
        return $$"""
            {
              "id": "worst-case", "version": 1, "name": "{{Long('N', 100)}}",
              "phases": [
                { "id": "pre", "title": "{{Long('P', 200)}}", "kind": "preRelease", "sections": [
                  { "id": "a", "title": "{{Long('S', 200)}}", "items": [ {{Items("a", 43, "rm", "-2d")}} ] },
                  { "id": "b", "title": "{{Long('S', 200)}}", "items": [ {{Items("b", 43, "qa", "-1d")}} ] } ] },
                { "id": "day", "title": "{{Long('D', 200)}}", "kind": "releaseDay", "sections": [ { "id": "c", "title": "{{Long('S', 200)}}", "items": [ {{Items("c", 2, "eng", "+30m")}} ] } ] },
                { "id": "post", "title": "{{Long('O', 200)}}", "kind": "postRelease", "sections": [ { "id": "d", "title": "{{Long('S', 200)}}", "items": [ {{Items("d", 1, "pm", "+2d")}} ] } ] },
                { "id": "back", "title": "{{Long('B', 200)}}", "kind": "rollback", "sections": [ { "id": "e", "title": "{{Long('S', 200)}}", "items": [ {{Items("e", 1, "eng", "+30m")}} ] } ] }
              ],
              "releaseManagerDuties": { "title": "{{Long('R', 200)}}", "duties": [ {{string.Join(",", Enumerable.Range(0, 10).Select(_ => $"\"{Long('d', 300)}\""))}} ] }
            }
            """;
    }

    private static string Long(char c, int length) => new(c, length);
}
