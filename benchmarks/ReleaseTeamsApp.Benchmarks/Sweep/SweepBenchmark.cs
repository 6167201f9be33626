using System.Diagnostics;
using Activity = ReleaseTeamsApp.BotProtocol.Activity;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Benchmarks.Infrastructure;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Checklists;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Benchmarks.Sweep;

/// <summary>
/// The reminder sweep over 1,000 active releases of the default template with ~5 % of items due in its window:
/// rows read (counted from the responses) against rows due, and wall time. Sends go to a no-op connector.
/// </summary>
internal static class SweepBenchmark
{
    private const int Releases = 1000;

    // A Wednesday at noon in Berlin: outside quiet hours, so every due digest is sent.
    private static readonly DateTimeOffset Now = new(2026, 9, 16, 12, 0, 0, TimeSpan.FromHours(2));

    public static async Task<int> RunAsync()
    {
        var root = RepositoryRoot.Find();
        using var azurite = Azurite.Ensure(root);
        var counter = new RowReadCounter();
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall);
        var phases = new PhaseTimer();
        clientOptions.AddPolicy(phases, Azure.Core.HttpPipelinePosition.PerCall);
        var prefix = "sweep" + Guid.NewGuid().ToString("N")[..8];
        var tables = new ReleaseTables(Options.Create(new StorageOptions { ConnectionString = Azurite.ConnectionString, TablePrefix = prefix }), clientOptions);
        IReleaseStore store = new TableReleaseStore(tables);
        var time = new FixedTime(Now);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Creating {Releases} releases of the default template (tables {prefix}*)…"));
        var created = Stopwatch.StartNew();
        var (items, dueItems) = await CreateReleasesAsync((TableReleaseStore)store, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {items} scheduled items, {dueItems} due in the sweep window ({100.0 * dueItems / items:F1} %), created in {created.Elapsed.TotalSeconds:F1} s"));

        var options = Options.Create(new RemindersOptions());
        var connector = new NoOpConnector(phases);
        var publisher = new ReleaseThreadPublisher(connector, new ReleaseCards(time), NullLogger<ReleaseThreadPublisher>.Instance);
        var sweep = new ReminderSweep(store, new DueItemsReader(tables), new SentMarkers(tables, options, time), publisher, options, time, NullLogger<ReminderSweep>.Instance);
        await tables.EnsureCreatedAsync();

        foreach (var run in new[] { "first sweep (sends)", "second sweep (nothing new)" })
        {
            counter.Reset();
            phases.Reset();
            var watch = Stopwatch.StartNew();
            var result = await sweep.RunAsync(CancellationToken.None);
            watch.Stop();
            Console.WriteLine();
            Console.WriteLine($"{run}:");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  wall time            {watch.Elapsed.TotalMilliseconds:F0} ms (goal < 2000 ms)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  rows due             {result.DueRows} in {result.Releases} releases"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  rows read            {counter.Total} = {counter.Describe()}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  read / due           {(double)counter.Total / Math.Max(1, result.DueRows):F2}x (goal <= 2x)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  storage requests     {counter.Requests}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  digests sent         {result.Sent} (connector saw {connector.Sent}), failed {result.Failed}"));
            Console.WriteLine("  phases (summed over concurrent work; storage by verb, table and status):");
            foreach (var line in phases.Describe())
            {
                Console.WriteLine("    " + line);
            }
        }

        foreach (var table in new[] { tables.Releases, tables.ReleaseIndex, tables.DueIndex, tables.Reminders, tables.Conversations, tables.Outbox })
        {
            await table.DeleteAsync();
        }

        return 0;
    }

    private static async Task<(int Items, int Due)> CreateReleasesAsync(TableReleaseStore store, CancellationToken cancellationToken)
    {
        var random = new Random(20260916);
        var template = ChecklistTemplateLoader.Default;
        var manager = new Person("29:rm", "Rita Release-Manager");
        var roles = ReleaseRoles.All.Aggregate(RoleAssignments.Empty, (r, role) => r.Assign(role, role == ReleaseRole.ReleaseManager ? manager : new Person($"29:{role}", role.DisplayName())));
        var items = 0;
        var due = 0;
        var plans = Enumerable.Range(0, Releases).Select(n =>
        {
            // Release dates spread over the next eight weeks: about 5 % of all scheduled items fall in the sweep window.
            var date = DateOnly.FromDateTime(Now.AddHours(random.NextDouble() * 55 * 24 + 12).Date);
            var release = new Release
            {
                Id = "bench" + n.ToString("D5", CultureInfo.InvariantCulture),
                Version = $"1.{n}.0",
                Channel = new ChannelKey("tenant-bench", "team-bench", $"19:channel{n % 50}@thread.tacv2"),
                ReleaseDate = date,
                TimeZoneId = "Europe/Berlin",
                TemplateId = template.Id,
                TemplateVersion = template.Version,
                Roles = roles,
                CreatedBy = manager,
                CreatedAt = Now.AddDays(-20),
                Thread = new ReleaseThread("https://smba.bench/", $"19:channel{n % 50}@thread.tacv2;messageid={n}", n.ToString(CultureInfo.InvariantCulture), new Dictionary<string, string>()),
            };
            var planned = ReleasePlanner.PlanItems(template, release);
            var scheduled = planned.Where(i => i.DueAt is not null).ToList();
            Interlocked.Add(ref items, scheduled.Count);
            Interlocked.Add(ref due, scheduled.Count(i => i.DueAt >= Now - TimeSpan.FromDays(30) && i.DueAt < Now + TimeSpan.FromHours(24)));
            return (release, planned);
        }).ToList();

        // Each release is one batch (entity-group transaction) of its rows plus its due-index batches; 32 at a time.
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (plan, ct) =>
            await store.CreateAsync(plan.release, plan.planned, new AuditEvent(plan.release.Id, plan.release.CreatedAt, manager, AuditActions.ReleaseCreated), ct));
        return (items, due);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class NoOpConnector(PhaseTimer phases) : IConnectorClient
    {
        private int _sent;

        public int Sent => _sent;

        public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string replyToId, Activity activity, CancellationToken cancellationToken) =>
            SendToConversationAsync(serviceUrl, conversationId, activity, cancellationToken);

        public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken)
        {
            // The real connector serializes the activity: do that much so card building and JSON are in the measured time.
            var watch = Stopwatch.StartNew();
            _ = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(activity, BotJson.Options);
            phases.Record("send (serialize activity)", watch.Elapsed);
            return Task.FromResult(new ResourceResponse { Id = Interlocked.Increment(ref _sent).ToString(CultureInfo.InvariantCulture) });
        }

        public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) =>
            Task.FromResult(new ConversationResourceResponse());

        public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
            Task.FromResult(new ResourceResponse { Id = activityId });

        public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken) => Task.CompletedTask;


        public Task<TeamsChannelAccount> GetConversationMemberAsync(string serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken) =>

            Task.FromResult(new TeamsChannelAccount { Id = memberId });
    }
}
