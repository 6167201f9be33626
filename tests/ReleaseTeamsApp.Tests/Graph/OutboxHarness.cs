using Azure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Retrospective;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace ReleaseTeamsApp.Tests.Graph;

/// <summary>The outbox over Azurite (a table prefix of its own), a fake Graph on Kestrel and a fake clock.</summary>
internal sealed class OutboxHarness : IAsyncDisposable
{
    public const string Mailbox = "releases@octoacme.test";
    public const string Stakeholder = "vp.engineering@octoacme.test";

    private OutboxHarness(FakeGraph graph, ReleaseTables tables)
    {
        Graph = graph;
        Tables = tables;
        Outbox = new GraphOutbox(tables, Time);
    }

    public static DateTimeOffset Now { get; } = new(2026, 6, 17, 8, 0, 0, TimeSpan.Zero);

    public FakeGraph Graph { get; }

    public FakeTimeProvider Time { get; } = new(Now);

    public GraphOptions Options { get; } = new() { Mode = GraphMode.Live, SenderMailbox = Mailbox, OrganizerMailbox = Mailbox };

    public ReleaseTables Tables { get; }

    public GraphOutbox Outbox { get; }

    public RetrospectiveBooking Booking => new(Outbox, MsOptions.Create(Options), Time);

    public StakeholderAnnouncements Announcements => new(Outbox, new AnnouncementQuota(Tables, MsOptions.Create(Options), Time), MsOptions.Create(Options));

    public static async Task<OutboxHarness> StartAsync(AzuriteFixture azurite) =>
        new(await FakeGraph.StartAsync(), azurite.CreateTables(azurite.NewTablePrefix()));

    /// <summary>A worker sending through the real Graph SDK to the fake Graph (or through <paramref name="gateway"/>).</summary>
    public OutboxWorker Worker(IGraphGateway? gateway = null) =>
        new(Outbox, gateway ?? Graph.Gateway(Options, Time), MsOptions.Create(Options), Time, NullLogger<OutboxWorker>.Instance);

    public static ReleaseState State(Func<Release, Release>? change = null, IReadOnlyList<ChecklistItem>? items = null)
    {
        var planned = new ReleaseBuilder().WithVersion("2.4.0").On(2026, 6, 16).BuildPlanned();
        var release = planned.Release with { Stakeholders = [Stakeholder], Scope = "Checkout redesign & faster search" };
        release = change?.Invoke(release) ?? release;
        return new ReleaseState(release, default, items ?? planned.Items, new Dictionary<string, ETag>(), false);
    }

    public async Task<OutboxEntry> EntryAsync(string releaseId, string key) =>
        await Outbox.GetAsync(releaseId, key, CancellationToken.None) ?? throw new InvalidOperationException($"No outbox entry {key}.");

    public async ValueTask DisposeAsync() => await Graph.DisposeAsync();
}
