using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReleaseTeamsApp.Closing;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.FollowUps;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Retrospective;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace ReleaseTeamsApp.Tests.Reminders;

/// <summary>The sweeps over real Azurite tables (a prefix of their own), a fake clock and a connector that records what was posted.</summary>
internal sealed class ReminderHarness
{
    public static ReleaseThread Thread { get; } = new("https://smba.test/emea/", "19:releases@thread.tacv2;messageid=100", "100", new Dictionary<string, string>());

    /// <param name="clientOptions">Pipeline policies for the tables (e.g. one that counts storage requests).</param>
    public ReminderHarness(AzuriteFixture azurite, DateTimeOffset now, Azure.Data.Tables.TableClientOptions? clientOptions = null)
    {
        Time = new FakeTimeProvider(now);
        Tables = azurite.CreateTables(azurite.NewTablePrefix(), clientOptions);
        Store = new TableReleaseStore(Tables);
        var options = MsOptions.Create(Options);
        Markers = new SentMarkers(Tables, options, Time);
        var publisher = new ReleaseThreadPublisher(Connector, new ReleaseCards(Time), NullLogger<ReleaseThreadPublisher>.Instance);
        Reader = new DueItemsReader(Tables);
        Outbox = new GraphOutbox(Tables, Time);
        Sweep = new ReminderSweep(Store, Reader, Markers, publisher, options, Time, SweepLog, links: new ReleaseLinks(MsOptions.Create(new TeamsAppOptions { AppId = TeamsAppId })));
        FollowUps = new FollowUpSweep(Store, Reader, Markers, Tables, publisher, new RetrospectiveBooking(Outbox, MsOptions.Create(new GraphOptions()), Time),
            new ReleaseClosing(Store, publisher, Time, NullLogger<ReleaseClosing>.Instance), options, Time, FollowUpLog);
    }

    /// <summary>The Teams app id the digests' "Open dashboard" links name.</summary>
    public const string TeamsAppId = "5e1f0c2a-7b7d-4c11-9a3e-2f6d8b1c0a99";

    public RemindersOptions Options { get; } = new();

    public ListLogger<ReminderSweep> SweepLog { get; } = new();

    public ListLogger<FollowUpSweep> FollowUpLog { get; } = new();

    public FakeTimeProvider Time { get; }

    public ReleaseTables Tables { get; }

    public IReleaseStore Store { get; }

    public SentMarkers Markers { get; }

    public DueItemsReader Reader { get; }

    public GraphOutbox Outbox { get; }

    public RecordingConnector Connector { get; } = new();

    public ReminderSweep Sweep { get; }

    public FollowUpSweep FollowUps { get; }

    public async Task<PlannedRelease> CreateAsync(ReleaseBuilder builder, Func<Release, Release>? change = null)
    {
        var planned = builder.BuildPlanned();
        var release = planned.Release with { Thread = Thread };
        release = change?.Invoke(release) ?? release;
        await Store.CreateAsync(release, planned.Items, planned.Created, CancellationToken.None);
        return planned with { Release = release };
    }

    /// <summary>Overwrites the release's row with truncated JSON, as a half-written or hand-edited row would read.</summary>
    public async Task CorruptReleaseRowAsync(string releaseId) =>
        await Tables.Releases.UpdateEntityAsync(new Azure.Data.Tables.TableEntity(releaseId, TableKeys.ReleaseRow) { ["Data"] = "{\"id\": trunc" }, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Merge);

    public Task SettleAsync(string releaseId, Func<ChecklistItem, bool> which) =>
        Store.UpdateAsync(releaseId, state =>
        {
            var done = state.Items.Where(i => !i.IsSettled && which(i))
                .Select(i => i with { Status = ItemStatus.Done, CompletedAt = Time.GetUtcNow(), ChangedAt = Time.GetUtcNow(), ChangedBy = People.Alice }).ToList();
            return ReleaseChange.Record(null, done, []).Returning(done.Count);
        }, null, CancellationToken.None);
}

/// <summary>An <see cref="IConnectorClient"/> that records every posted activity and can be told to fail.</summary>
internal sealed class RecordingConnector : IConnectorClient
{
    private int _ids;

    public ConcurrentQueue<Activity> Posted { get; } = new();

    /// <summary>When set, sends fail with this many more errors before they go through again.</summary>
    public int FailNext { get; set; }

    public IReadOnlyList<Activity> Activities => Posted.ToArray();

    public static JsonObject CardOf(Activity activity) => (JsonObject)activity.Attachments![0].Content!;

    public static IReadOnlyList<Mention> Mentions(Activity activity) => activity.GetMentions();

    public void Clear() => Posted.Clear();

    public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string replyToId, Activity activity, CancellationToken cancellationToken) =>
        SendToConversationAsync(serviceUrl, conversationId, activity, cancellationToken);

    public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken)
    {
        if (FailNext > 0)
        {
            FailNext--;
            throw new HttpRequestException("connector unavailable");
        }

        Posted.Enqueue(activity);
        return Task.FromResult(new ResourceResponse { Id = $"act-{Interlocked.Increment(ref _ids)}" });
    }

    public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
        Task.FromResult(new ResourceResponse { Id = activityId });

    public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken) => Task.CompletedTask;


    public Task<TeamsChannelAccount> GetConversationMemberAsync(string serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken) =>

        Task.FromResult(new TeamsChannelAccount { Id = memberId });
}
