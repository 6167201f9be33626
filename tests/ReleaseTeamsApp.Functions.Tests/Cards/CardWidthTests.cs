using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Closing;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Functions.Tests.Cards;

/// <summary>
/// The reminder digest and the closing report card at the widths Teams gives a card: about 320 px on a phone or a narrow
/// pane, 560 px on desktop. Nothing may be cut off or stick out of the card; screenshots of each go to TestResults/cards.
/// </summary>
public sealed class CardWidthTests(CardRendererFixture renderer) : IClassFixture<CardRendererFixture>
{
    private const string TeamsAppId = "4d0c6a1e-2b8f-4f6d-9a57-0c3e1b2d7f48";
    private static readonly DateTimeOffset ThursdayNoon = new(2026, 6, 11, 12, 0, 0, TimeSpan.FromHours(2));
    private static readonly ReleaseLinks Links = new(Options.Create(new TeamsAppOptions { AppId = TeamsAppId }));
    private static readonly Person Alice = new("29:alice", "Alice Adams", "aad-alice");
    private static readonly Person Dave = new("29:dave", "Dave Dimitrov-Engineering", "aad-dave");

    public static TheoryData<string, int> Cards => new()
    {
        { "reminder digest", 320 }, { "reminder digest", 560 },
        { "reminder digest of two releases", 320 }, { "reminder digest of two releases", 560 },
        { "closing report", 320 }, { "closing report", 560 },
        { "closing report without a Teams app id", 320 }, { "closing report without a Teams app id", 560 },
        { "closing report of the follow-up sweep", 320 }, { "closing report of the follow-up sweep", 560 },
    };

    [Theory]
    [MemberData(nameof(Cards))]
    public async Task Card_AtTeamsWidth_NothingCutOffOrOutsideTheCard(string kind, int width)
    {
        var card = Build(kind);
        await renderer.SetWidthAsync(width);

        var rendered = await renderer.RenderAsync(card);
        var outside = await renderer.OutsideTheCardAsync();
        await renderer.ScreenshotAsync($"{kind} {width}px", card);

        Assert.True(rendered.Rendered, $"{kind}: not rendered ({string.Join("; ", rendered.Parse.Concat(rendered.Validation))})");
        Assert.Empty(rendered.Validation);
        Assert.True(rendered.Truncated.Count == 0, $"{kind} at {width} px: button titles cut off: {string.Join(", ", rendered.Truncated)}");
        Assert.True(outside.Count == 0, $"{kind} at {width} px: sticks out of the card: {string.Join(", ", outside)}");
    }

    private static JsonObject Build(string kind) => kind switch
    {
        "reminder digest" => ReminderCards.Digest(Digest(Planned("2.4.0")), ThursdayNoon),
        "reminder digest of two releases" => ReminderCards.Digest(new ChannelDigest([Digest(Planned("2.4.0")), Digest(Planned("2.5.0-hotfix.1"))]), ThursdayNoon),
        "closing report" => ReleaseReportCard.Build(Closed(), new Closer.Manager(Alice, null), Links),
        "closing report without a Teams app id" => ReleaseReportCard.Build(Closed(), new Closer.Manager(Alice, null)),
        "closing report of the follow-up sweep" => ReleaseReportCard.Build(Closed(), Closer.AllSettled, Links),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>A release on Tue 16 Jun 2026 (Europe/Berlin) of the built-in checklist: Alice its Release Manager, Dave its Engineering Lead.</summary>
    private static ReleaseState Planned(string version)
    {
        var release = new Release
        {
            Id = "rel-width-" + version,
            Version = version,
            Channel = new ChannelKey("tenant-octoacme", "team-platform", "19:releases@thread.tacv2"),
            ReleaseDate = new DateOnly(2026, 6, 16),
            TimeZoneId = "Europe/Berlin",
            TemplateId = ChecklistTemplateLoader.Default.Id,
            TemplateVersion = ChecklistTemplateLoader.Default.Version,
            Roles = RoleAssignments.Empty.Assign(ReleaseRole.ReleaseManager, Alice).Assign(ReleaseRole.EngineeringLead, Dave),
            CreatedBy = Alice,
            CreatedAt = new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero),
        };
        return ReleaseState.Draft(release, ReleasePlanner.PlanItems(ChecklistTemplateLoader.Default, release));
    }

    /// <summary>Dave's (Engineering Lead) message of Thursday noon: his overdue -5d items and those due tomorrow.</summary>
    private static ReminderDigest Digest(ReleaseState planned)
    {
        var items = planned.Items.Where(i => i.Owner == ReleaseRole.EngineeringLead && i.DueAt < ThursdayNoon.AddDays(2)).Take(3).ToList();
        return new ReminderDigest(planned.Release, ReminderKind.Reminder, Dave, items) { Dashboard = Links.Dashboard(planned.Release) };
    }

    /// <summary>Release 2.4.0 deployed on its day and closed the next morning; two items were ticked late.</summary>
    private static ReleaseState Closed()
    {
        var planned = Planned("2.4.0");
        var deployedAt = new DateTimeOffset(2026, 6, 16, 10, 0, 0, TimeSpan.FromHours(2));
        var closedAt = deployedAt.AddDays(1);
        var items = planned.Items.Select((item, n) => item with
        {
            Status = n % 7 == 3 ? ItemStatus.NotApplicable : ItemStatus.Done,
            CompletedAt = item.DueAt is { } due ? (n % 9 == 1 ? due.AddHours(5) : due.AddMinutes(-30)) : closedAt.AddHours(-1),
            ChangedBy = Dave,
        }).ToList();
        var release = planned.Release with
        {
            Status = ReleaseStatus.Closed,
            Deployment = new Deployment(deployedAt, Alice, deployedAt.AddMinutes(42), Alice),
            ClosedAt = closedAt,
        };
        return ReleaseState.Draft(release, items);
    }
}
