using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Benchmarks.Infrastructure;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.LocalHost;

namespace ReleaseTeamsApp.Benchmarks.Ticks;

/// <summary>
/// Ticking items through the real pipeline (POST /api/messages, adaptiveCard/action invokes) on the local host
/// against Azurite: latency p50/p99, Table Storage round trips per tick, and 100 concurrent ticks by 100 people.
/// </summary>
internal static class TickBenchmark
{
    private const string DevTenant = "00000000-0000-0000-0000-00000000dev0";
    private const string DevTeam = "19:dev-team@thread.tacv2";

    /// <summary>
    /// Invoke latency when Teams is slow: the same ticks with a connector that takes 2 s per card update (PUT) and one
    /// that answers every PUT 429 with Retry-After: 3. The answer must not wait for them (goal: p99 within 2x of fast).
    /// </summary>
    public static async Task<int> RunFaultsAsync(int ticks = 300)
    {
        var root = RepositoryRoot.Find();
        using var azurite = Azurite.Ensure(root);
        var results = new List<(string Name, double P50, double P99)>();
        foreach (var (name, options) in new (string, LimitedTeamsConnectorOptions)[]
        {
            ("fast connector", new LimitedTeamsConnectorOptions()),
            ("2 s per PUT", new LimitedTeamsConnectorOptions { PutLatency = TimeSpan.FromSeconds(2) }),
            ("429 Retry-After: 3 on every PUT", new LimitedTeamsConnectorOptions { PutAlwaysThrottledRetryAfter = 3 }),
        })
        {
            await using var teams = await LimitedTeamsConnector.StartAsync(options);
            var (latencies, _) = await TicksAsync(ticks, teams.ServiceUrl);
            results.Add((name, Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 99)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} invoke p50 {results[^1].P50,6:F1} ms · p99 {results[^1].P99,6:F1} ms · {teams.Requests} connector requests ({teams.PutsThrottled} PUTs throttled) while ticking"));
        }

        var fastP99 = results[0].P99;
        var worst = results.Skip(1).Max(r => r.P99 / fastP99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worst p99 / fast p99 = {worst:F2}x (goal <= 2x)"));
        return worst <= 2 ? 0 : 1;
    }

    private static async Task<(List<double> Latencies, long RoundTrips)> TicksAsync(int ticks, string serviceUrl)
    {
        var prefix = "bench" + Guid.NewGuid().ToString("N")[..8];
        await using var host = LocalHostApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(HostSettings(prefix)).AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LocalHost:TeamsServiceUrl"] = serviceUrl,
            });
            builder.Logging.ClearProviders();
        });
        await host.StartAsync();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var store = host.Services.GetRequiredService<IReleaseStore>();
        var clock = host.Services.GetRequiredService<SimulatedClock>();
        var date = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddDays(14)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        (await http.PostAsJsonAsync("/_dev/say", new { text = $"new release 1.0.0 on {date}", user = "alice" })).EnsureSuccessStatusCode();
        var releaseId = (await store.ListAsync(DevTenant, DevTeam, CancellationToken.None)).Single(s => s.Version == "1.0.0").ReleaseId;
        var items = (await store.GetAsync(releaseId, CancellationToken.None))!.Items.Where(i => i.DueAt is not null).Select(i => i.Id).ToList();
        for (var i = 0; i < 20; i++)
        {
            await TickAsync(http, releaseId, items[i % items.Count], i % 2 == 0 ? "item.complete" : "item.reopen", "alice");
        }

        var latencies = new List<double>(ticks);
        for (var i = 0; i < ticks; i++)
        {
            var watch = Stopwatch.StartNew();
            await TickAsync(http, releaseId, items[i % items.Count], (i / items.Count) % 2 == 0 ? "item.reopen" : "item.complete", "alice");
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        await host.StopAsync();
        return (latencies, 0);
    }

    public static async Task<int> RunAsync(int ticks = 1000, int concurrent = 100)
    {
        var root = RepositoryRoot.Find();
        using var azurite = Azurite.Ensure(root);
        var prefix = "bench" + Guid.NewGuid().ToString("N")[..8];
        var counter = new StorageRequestCounter { TablePrefix = prefix };
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(counter, HttpPipelinePosition.PerRetry);

        await using var host = LocalHostApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(HostSettings(prefix));
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(clientOptions);
            builder.Services.AddHttpContextAccessor();
        });
        var accessor = host.Services.GetRequiredService<IHttpContextAccessor>();
        counter.Origin = () => accessor.HttpContext is { } context ? $"{context.Request.Method} {context.Request.Path}" : null;
        await host.StartAsync();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var store = host.Services.GetRequiredService<IReleaseStore>();
        var clock = host.Services.GetRequiredService<SimulatedClock>();

        var date = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddDays(14)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        (await http.PostAsJsonAsync("/_dev/say", new { text = $"new release 1.0.0 on {date}", user = "alice" })).EnsureSuccessStatusCode();
        var summaries = await store.ListAsync(DevTenant, DevTeam, CancellationToken.None);
        var releaseId = summaries.Single(s => s.Version == "1.0.0").ReleaseId;
        var items = (await store.GetAsync(releaseId, CancellationToken.None))!.Items.Where(i => i.DueAt is not null).Select(i => i.Id).ToList();

        // Warm-up: JIT, connection pools, table creation.
        for (var i = 0; i < 50; i++)
        {
            await TickAsync(http, releaseId, items[i % items.Count], i % 2 == 0 ? "item.complete" : "item.reopen", "alice");
        }

        // The card-updates work of the warm-up is done before counting starts.
        await SettledAsync(counter);
        counter.Reset();
        var latencies = new List<double>(ticks);
        var roundTrips = new List<long>(ticks);
        var startTotal = counter.Count;
        for (var i = 0; i < ticks; i++)
        {
            var item = items[i % items.Count];
            var verb = (i / items.Count) % 2 == 0 ? "item.reopen" : "item.complete";
            var before = counter.ForegroundCount;
            var watch = Stopwatch.StartNew();
            await TickAsync(http, releaseId, item, verb, "alice");
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            roundTrips.Add(counter.ForegroundCount - before);
        }

        await SettledAsync(counter);
        var total = counter.Count - startTotal;
        latencies.Sort();
        var trips = roundTrips.GroupBy(r => r).OrderBy(g => g.Key).Select(g => $"{g.Key} round trips × {g.Count()}");
        Console.WriteLine($"ticks through POST /api/messages (local host + Azurite, in process): {ticks}");
        Console.WriteLine($"  latency p50 {Percentiles.Of(latencies, 50):F1} ms · p90 {Percentiles.Of(latencies, 90):F1} ms · p99 {Percentiles.Of(latencies, 99):F1} ms · max {latencies[^1]:F1} ms");
        Console.WriteLine($"  Table Storage round trips per tick on the invoke path: {string.Join(", ", trips)} (goal: 2 — one read, one transaction)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  all Table Storage requests, per tick ({total} for {ticks} ticks, including the card-updates queue trigger after the answer):"));
        foreach (var group in counter.Requests.GroupBy(r => r).OrderByDescending(g => g.Count()))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {(double)group.Count() / ticks,5:F2}  {group.Key}"));
        }

        Console.WriteLine("  plus 1 queue message per applied tick (card-updates, written before the answer; a queue message, not a Table round trip)");

        // 100 people, each holding a role, add a note to an item at the same moment.
        var people = Enumerable.Range(1, concurrent).Select(n => new Person($"29:user{n}", $"User {n}")).ToList();
        await store.UpdateAsync(releaseId, state =>
        {
            var roles = state.Release.Roles;
            foreach (var person in people)
            {
                roles = roles.Add(ReleaseRole.ReleaseManager, person);
            }

            return ReleaseChange.Record(state.Release with { Roles = roles }).Returning(true);
        }, null, CancellationToken.None);
        var auditBefore = (await store.GetAuditAsync(releaseId, CancellationToken.None)).Count(a => a.Action == AuditActions.ItemNoted);
        var storm = Stopwatch.StartNew();
        var answers = await Task.WhenAll(people.Select((p, n) => TickAsync(http, releaseId, items[n % items.Count], "item.note", p.Id["29:".Length..], $"note {n} by {p.Name}")));
        storm.Stop();
        var audit = (await store.GetAuditAsync(releaseId, CancellationToken.None)).Where(a => a.Action == AuditActions.ItemNoted).ToList();
        var applied = answers.Count(a => a.Contains("\"style\":\"good\"", StringComparison.Ordinal));
        var audited = audit.Count - auditBefore;
        var notes = audit.Select(a => a.Note).ToHashSet();
        var lost = people.Select((p, n) => $"note {n} by {p.Name}").Count(n => !notes.Contains(n));
        Console.WriteLine($"concurrent ticks: {concurrent} people on one release at once → {applied} applied, {audited} audited, {lost} lost ({storm.Elapsed.TotalMilliseconds:F0} ms for all)");
        await host.StopAsync();
        return lost == 0 && applied == concurrent && audited == concurrent ? 0 : 1;
    }

    /// <summary>Waits until the queue trigger's work after the answers is done: no Table request for 3 s (host.json polls every ≤ 2 s).</summary>
    private static async Task SettledAsync(StorageRequestCounter counter)
    {
        var last = counter.Count;
        for (var quiet = 0; quiet < 6;)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            quiet = counter.Count == last ? quiet + 1 : 0;
            last = counter.Count;
        }
    }

    private static async Task<string> TickAsync(HttpClient http, string releaseId, string item, string verb, string user, string? note = null)
    {
        using var response = await http.PostAsJsonAsync("/_dev/click", new { verb, release = releaseId, item, user, note });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || JsonNode.Parse(body)?["statusCode"]?.GetValue<int>() != 200)
        {
            throw new InvalidOperationException($"Tick failed: {(int)response.StatusCode} {body}");
        }

        return body;
    }

    /// <summary>The local host's settings for a tick run: the benchmarks' own, and the tab without sign-in.</summary>
    private static Dictionary<string, string?> HostSettings(string prefix)
    {
        var settings = LocalHostSettings.For(prefix);
        settings["Tab:AllowDevelopmentBypass"] = "true";
        return settings;
    }
}
