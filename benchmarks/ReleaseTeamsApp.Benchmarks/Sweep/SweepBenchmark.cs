using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Benchmarks.Infrastructure;
using ReleaseTeamsApp.LocalHost;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Planning;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Benchmarks.Sweep;

/// <summary>
/// The reminder sweep over 1,000 active releases of one tenant (default template, ~5 % of items due in its window),
/// sending through the real connector client and its pacer to a stand-in that enforces Teams' rate limits: digests
/// delivered (each once), 429 answers, wall time against the minimum 50 requests per second allow, storage requests
/// per release with something due, and what a day of sweeps costs in Table transactions.
/// </summary>
internal static class SweepBenchmark
{
    private const int Releases = 1000;

    // A Wednesday at noon in Berlin: outside quiet hours, so every due digest is sent.
    private static readonly DateTimeOffset Now = new(2026, 9, 16, 12, 0, 0, TimeSpan.FromHours(2));

    /// <param name="args">--price-per-10k &lt;USD&gt; (Table transactions, default 0.00036), --sweeps-per-day &lt;n&gt; (default 288: every 5 minutes).</param>
    public static async Task<int> RunAsync(string[] args)
    {
        var pricePer10K = Option(args, "--price-per-10k", 0.00036);
        var sweepsPerDay = (int)Option(args, "--sweeps-per-day", 288);
        var root = RepositoryRoot.Find();
        using var azurite = Azurite.Ensure(root);
        var counter = new RowReadCounter();
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall);
        var phases = new PhaseTimer();
        clientOptions.AddPolicy(phases, Azure.Core.HttpPipelinePosition.PerCall);
        var prefix = "sweep" + Guid.NewGuid().ToString("N")[..8];
        var tables = new ReleaseTables(Options.Create(new StorageOptions { ConnectionString = Azurite.ConnectionString, TablePrefix = prefix }), clientOptions);
        await StorageCreation.CreateAllAsync([tables], CancellationToken.None);
        IReleaseStore store = new TableReleaseStore(tables);
        var time = new FixedTime(Now);
        await using var teams = await LimitedTeamsConnector.StartAsync();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Creating {Releases} releases of the default template in one tenant (tables {prefix}*)…"));
        var created = Stopwatch.StartNew();
        var (items, dueItems) = await CreateReleasesAsync((TableReleaseStore)store, teams.ServiceUrl, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {items} scheduled items, {dueItems} due in the sweep window ({100.0 * dueItems / items:F1} %), created in {created.Elapsed.TotalSeconds:F1} s"));

        // The app's own connector client and pacer (one per process), anonymous as on the local host.
        var services = new ServiceCollection()
            .AddLogging()
            .ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new PacedAtStamp()))
            .AddBotProtocol(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["MicrosoftAppId"] = "", ["Bot:AllowAnonymous"] = "true" }).AddEnvironmentVariables().Build())
            .BuildServiceProvider();
        var connector = services.GetRequiredService<IConnectorClient>();
        var pacer = services.GetRequiredService<ConnectorPacer>();
        var options = Options.Create(new RemindersOptions());
        var publisher = new ReleaseThreadPublisher(connector, new ReleaseCards(time), NullLogger<ReleaseThreadPublisher>.Instance);
        var sweep = new ReminderSweep(store, new DueItemsReader(tables), new SentMarkers(tables, options, time), publisher, options, time, NullLogger<ReminderSweep>.Instance);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Teams stand-in on {teams.ServiceUrl}: 50 requests/s per tenant, per thread 7/1 s, 8/2 s, 60/30 s, 1800/h; pacer: {pacer.TenantLimit}/s interactive, {pacer.BulkLimit}/s for sweeps"));

        var exit = 0;
        var perRelease = new double[3];
        var run = 0;
        var runs = new[]
        {
            ("first sweep (sends)", Now),
            ("second sweep (nothing new)", Now),
            ("night sweep (quiet hours, 22:00 Berlin)", Now + TimeSpan.FromHours(10)),
        };
        foreach (var (name, at) in runs)
        {
            time.Now = at;
            counter.Reset();
            phases.Reset();
            teams.ResetCounts();
            var started = DateTimeOffset.UtcNow;
            var watch = Stopwatch.StartNew();
            var result = await sweep.RunAsync(CancellationToken.None);
            watch.Stop();
            var posted = teams.Posted;
            var duplicates = posted.GroupBy(p => (p.ConversationId, p.Text)).Count(g => g.Count() > 1);
            var minimum = posted.Count / 50.0;
            var throttledShare = teams.Requests == 0 ? 0 : 100.0 * teams.Throttled / teams.Requests;
            perRelease[run] = (double)counter.Requests / Math.Max(1, result.Releases);
            Console.WriteLine();
            Console.WriteLine($"{name}:");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  wall time            {watch.Elapsed.TotalSeconds:F1} s; minimum at 50 requests/s {minimum:F1} s → {(minimum == 0 ? 0 : watch.Elapsed.TotalSeconds / minimum):F2}x (goal <= 1.5x)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  digests              {result.Sent} sent, Teams accepted {posted.Count}, {duplicates} duplicated, {result.Failed} failed"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  connector requests   {teams.Requests}, answered 429: {teams.Throttled} ({throttledShare:F2} %, goal <= 1 %); pacer waited {pacer.Statistics.Waits} times"));
            var deliveries = teams.Deliveries;
            var delivery = deliveries.Select(d => d.Milliseconds).Order().ToList();
            if (delivery.Count > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  pacer -> Teams       p50 {Percentiles.Of(delivery, 50):F1} ms, p99 {Percentiles.Of(delivery, 99):F1} ms, max {delivery[^1]:F1} ms; {delivery.Count(d => d > 10)} of {delivery.Count} later than 10 ms"));
                var start = deliveries.Min(d => d.At);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  sends at Teams       first {(start - started).TotalSeconds:F1} s after the sweep started (reading, claiming), last {(deliveries.Max(d => d.At) - started).TotalSeconds:F1} s"));
                var bySecond = deliveries.GroupBy(d => (int)(d.At - start).TotalSeconds).OrderBy(g => g.Key)
                    .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}s:{g.Count()}/{g.Max(d => d.Milliseconds):F0}"));
                Console.WriteLine("  per second           requests/slowest ms " + string.Join(" ", bySecond));
            }

            foreach (var (limit, cause) in teams.ThrottleCauses.OrderByDescending(c => c.Value.Answers))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  429 from            {limit}: {cause.Answers} answers; {cause.LateArrivals} of the requests filling it were let go by the pacer a whole window earlier"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  rows due             {result.DueRows} in {result.Releases} releases with something due; {result.Unchanged} unchanged since their last digest (not read), {result.Postponed} in quiet hours"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  storage requests     {counter.Requests} = {perRelease[run]:F2} per release with something due (goal <= {(run == 0 ? 2 : 1)})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  rows read            {counter.Total} = {counter.Describe()}; {(double)counter.Total / Math.Max(1, result.DueRows):F2}x rows due"));
            Console.WriteLine("  phases (summed over concurrent work; storage by verb, table and status):");
            foreach (var line in phases.Describe())
            {
                Console.WriteLine("    " + line);
            }

            if (run == 0 && (duplicates > 0 || posted.Count != result.Sent || result.Failed > 0 || throttledShare > 1 || (minimum > 0 && watch.Elapsed.TotalSeconds / minimum > 1.5)))
            {
                exit = 1;
            }

            if (perRelease[run] > (run == 0 ? 2 : 1) || (run > 0 && posted.Count > 0))
            {
                exit = 1;
            }

            run++;
        }

        // The next weekday, swept every 24 h / sweepsPerDay from midnight in Berlin: the night sweeps find everyone in quiet
        // hours, the first one after 08:00 sends the day's digests, later ones send what came due since (items enter the
        // 24 h window all day). Measured at 1,000 releases; 10,000 are scaled from it (ten times the due releases, the same
        // number of sweeps; the index and ledger queries grow by a page per 1,000 rows).
        var dayStart = new DateTimeOffset(2026, 9, 17, 0, 0, 0, TimeSpan.FromHours(2));
        counter.Reset();
        teams.ResetCounts();
        var daySent = 0;
        var dayRead = 0;
        var dayWatch = Stopwatch.StartNew();
        for (var i = 0; i < sweepsPerDay; i++)
        {
            time.Now = dayStart + (TimeSpan.FromDays(1) * i / sweepsPerDay);
            var result = await sweep.RunAsync(CancellationToken.None);
            daySent += result.Sent;
            dayRead += result.Releases - result.Unchanged - result.Postponed;
        }

        var perDay = counter.Requests;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"A weekday (Thu 17 Sep), {sweepsPerDay} sweeps from 00:00 Berlin ({dayWatch.Elapsed.TotalSeconds:F0} s): {daySent} digests sent, Teams accepted {teams.Posted.Count}; {dayRead} release reads; {perDay:N0} storage requests"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Table transactions per day (price {pricePer10K} USD per 10,000 — pass --price-per-10k and --sweeps-per-day):"));
        foreach (var active in new[] { 1_000, 10_000 })
        {
            var transactions = perDay * (active / (double)Releases);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {active,6:N0} active releases: {transactions,12:N0} transactions/day{(active == Releases ? " (measured)" : " (scaled)")} = {transactions / 10_000 * pricePer10K:F4} USD/day, {transactions / 10_000 * pricePer10K * 30:F2} USD/month"));
        }

        foreach (var table in new[] { tables.Releases, tables.ReleaseIndex, tables.DueIndex, tables.Reminders, tables.Conversations, tables.Outbox })
        {
            await table.DeleteAsync();
        }

        return exit;
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static async Task<(int Items, int Due)> CreateReleasesAsync(TableReleaseStore store, string serviceUrl, CancellationToken cancellationToken)
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
                Thread = new ReleaseThread(serviceUrl, $"19:channel{n % 50}@thread.tacv2;messageid={n}", n.ToString(CultureInfo.InvariantCulture), new Dictionary<string, string>()),
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
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
