using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Outbox;
using ReleaseTeamsApp.Planning;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Retrospective;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;
using ReleaseTeamsApp.Tests.Graph;

namespace ReleaseTeamsApp.Tests.Outbox;

/// <summary>The dispatcher with the real Graph SDK against the fake Graph, the release store in Azurite and a mocked connector.</summary>
[Collection("Azurite")]
public sealed class OutboxDispatcherTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Thread = "19:releases@thread.tacv2;messageid=1";

    private readonly Mock<IConnectorClient> _connector = new();
    private readonly List<Activity> _posted = [];
    private OutboxHarness _h = null!;
    private TableReleaseStore _store = null!;

    public async Task InitializeAsync()
    {
        _h = await OutboxHarness.StartAsync(azurite);
        _store = new TableReleaseStore(_h.Tables);
        _connector
            .Setup(c => c.SendToConversationAsync("https://smba.test/", Thread, It.IsAny<Activity>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, Activity activity, CancellationToken _) => _posted.Add(activity))
            .ReturnsAsync(new ResourceResponse { Id = "2" });
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_Throttled429ThenCreated_OneEventAndOneJoinLinkPost()
    {
        var state = await StoredReleaseAsync();
        await _h.Booking.RequestAsync(state, [], null, default);
        _h.Graph.Then(new ScriptedAnswer("/events", 429, RetryAfter: "60"));

        var throttled = await Dispatcher().RunAsync(default);
        _h.Time.Advance(TimeSpan.FromSeconds(60));
        var created = await Dispatcher().RunAsync(default);
        var rerun = await Dispatcher().RunAsync(default);

        Assert.Equal(0, throttled.JoinLinksPosted);
        Assert.Equal(1, created.JoinLinksPosted);
        Assert.Equal(0, rerun.JoinLinksPosted);
        Assert.Equal(2, _h.Graph.EventCreates.Count());
        Assert.Equal(1, _h.Graph.EventCount);
        var post = Assert.Single(_posted);
        var card = (System.Text.Json.Nodes.JsonObject)post.Attachments![0].Content!;
        AdaptiveCardSchema.AssertValid(card, "retrospective card");
        var entry = await _h.EntryAsync(state.Release.Id, RetrospectiveKeys.Event(state.Release.Id));
        Assert.Equal(entry.Result!.JoinUrl, card["actions"]![0]!["url"]!.GetValue<string>());
        Assert.DoesNotContain(GraphCards.RecordedNote, card.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Friday 19 June 2026, 14:00 (Europe/Berlin)", card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConnectorFailsOnce_PostedOnTheNextRunAfterTheClaimRunsOut()
    {
        var state = await StoredReleaseAsync();
        await _h.Booking.RequestAsync(state, [], null, default);
        _connector
            .SetupSequence(c => c.SendToConversationAsync("https://smba.test/", Thread, It.IsAny<Activity>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConnectorException("Throttled", HttpStatusCode.TooManyRequests, ConnectorErrorCodes.Throttled, null))
            .ReturnsAsync(new ResourceResponse { Id = "3" });

        var failed = await Dispatcher().RunAsync(default);
        var tooEarly = await Dispatcher().RunAsync(default);
        _h.Time.Advance(OutboxDispatcher.PostLease);
        var retried = await Dispatcher().RunAsync(default);
        var rerun = await Dispatcher().RunAsync(default);

        Assert.Equal((0, 0, 1, 0), (failed.JoinLinksPosted, tooEarly.JoinLinksPosted, retried.JoinLinksPosted, rerun.JoinLinksPosted));
        _connector.Verify(c => c.SendToConversationAsync("https://smba.test/", Thread, It.IsAny<Activity>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.Single(_h.Graph.EventCreates);
    }

    [Fact]
    public async Task RunAsync_PermissionDenied_ReleaseManagerMentionedOnceWithTheError()
    {
        var state = await StoredReleaseAsync();
        await _h.Announcements.EnqueueAsync(state, AnnouncementKind.Deployment, People.Alice, fromTeamChannel: true, default);
        _h.Graph.Then(new ScriptedAnswer("/sendMail", 403));

        var first = await Dispatcher().RunAsync(default);
        var second = await Dispatcher().RunAsync(default);

        Assert.Equal((1, 0), (first.FailuresPosted, second.FailuresPosted));
        var notice = Assert.Single(_posted);
        Assert.StartsWith("<at>Alice Release-Manager</at>: the announcement mail of release 2.4.0 could not be sent after 1 attempt(s)", notice.Text, StringComparison.Ordinal);
        Assert.Contains("403 (ErrorAccessDenied)", notice.Text, StringComparison.Ordinal);
        Assert.Contains(notice.Entities!, e => e.Type == "mention");
    }

    private OutboxDispatcher Dispatcher() => new(
        _h.Worker(), _h.Outbox, _store, new ReleaseThreadPublisher(_connector.Object, new ReleaseCards(_h.Time), NullLogger<ReleaseThreadPublisher>.Instance),
        Microsoft.Extensions.Options.Options.Create(_h.Options), _h.Time, NullLogger<OutboxDispatcher>.Instance);

    private async Task<ReleaseState> StoredReleaseAsync()
    {
        var planned = OutboxHarness.State(r => r with { Thread = new ReleaseThread("https://smba.test/", Thread, "1", new Dictionary<string, string>()) });
        await _store.CreateAsync(planned.Release, planned.Items, new AuditEvent(planned.Release.Id, OutboxHarness.Now, People.Alice, AuditActions.ReleaseCreated), default);
        return (await _store.GetAsync(planned.Release.Id, default))!;
    }
}
