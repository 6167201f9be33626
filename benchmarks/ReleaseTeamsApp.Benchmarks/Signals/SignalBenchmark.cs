using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Benchmarks.Infrastructure;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Signals;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.LocalHost;

namespace ReleaseTeamsApp.Benchmarks.Signals;

/// <summary>
/// A burst of signed GitHub deliveries (built from GitHub's sample payloads) for many releases through
/// POST /api/hooks/github on the local host against Azurite: acknowledgement latency, then the time until every
/// delivery is evaluated, and that none was evaluated twice (evaluations, audit rows and ticks are counted).
/// </summary>
internal static class SignalBenchmark
{
    private const string Secret = "benchmark-webhook-secret";
    private const string DevTenant = "00000000-0000-0000-0000-00000000dev0";
    private const string DevTeam = "19:dev-team@thread.tacv2";

    public static async Task<int> RunAsync(int releases = 100, int perRelease = 10, int concurrency = 4)
    {
        var root = RepositoryRoot.Find();
        using var azurite = Azurite.Ensure(root);
        var payloads = Path.Combine(root, "tests", "ReleaseTeamsApp.Functions.Tests", "Signals", "Payloads");
        var prefix = "sig" + Guid.NewGuid().ToString("N")[..8];
        await using var host = LocalHostApplication.Build([], builder =>
        {
            var settings = LocalHostSettings.For(prefix);
            settings["GitHub:WebhookSecret"] = Secret;
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
        });
        await host.StartAsync();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var store = host.Services.GetRequiredService<IReleaseStore>();
        var links = host.Services.GetRequiredService<SignalLinks>();
        var inbox = host.Services.GetRequiredService<SignalInbox>();
        var clock = host.Services.GetRequiredService<SimulatedClock>();
        var now = clock.GetUtcNow();

        var ids = new List<string>();
        for (var n = 0; n < releases; n++)
        {
            var release = new Release
            {
                Id = Guid.NewGuid().ToString("N"),
                Version = string.Create(CultureInfo.InvariantCulture, $"1.{n}.0"),
                Channel = new ChannelKey(DevTenant, DevTeam, DevTeam),
                ReleaseDate = DateOnly.FromDateTime(now.UtcDateTime.AddDays(14)),
                TimeZoneId = "UTC",
                TemplateId = ChecklistTemplateLoader.Default.Id,
                TemplateVersion = ChecklistTemplateLoader.Default.Version,
                Outline = ChecklistOutline.From(ChecklistTemplateLoader.Default),
                CreatedBy = new Person("29:alice", "Alice"),
                CreatedAt = now,
            };
            await store.CreateAsync(release, ReleasePlanner.PlanItems(ChecklistTemplateLoader.Default, release), new AuditEvent(release.Id, now, release.CreatedBy, AuditActions.ReleaseCreated), CancellationToken.None);
            await links.LinkAsync(new SignalLink(LinkKind.GitHub, Repository(n), DevTenant, DevTeam, release.Id, "Alice", now), CancellationToken.None);
            ids.Add(release.Id);
        }

        // Each release: four deliveries that tick an item, the rest runs of other workflows on main (evaluated, nothing to settle).
        var deliveries = new List<(string Event, byte[] Body, string Id)>();
        for (var n = 0; n < releases; n++)
        {
            var version = string.Create(CultureInfo.InvariantCulture, $"1.{n}.0");
            for (var k = 0; k < perRelease; k++)
            {
                var (name, payload) = k switch
                {
                    0 => ("workflow_run", Workflow(payloads, n, "Smoke tests (staging)", $"release/{version}", k)),
                    1 => ("workflow_run", Workflow(payloads, n, "Smoke tests (production)", $"release/{version}", k)),
                    2 => ("release", Release(payloads, n, $"v{version}")),
                    3 => ("deployment_status", Deployment(payloads, n, "staging", $"release/{version}")),
                    _ => ("workflow_run", Workflow(payloads, n, "CI", "main", k)),
                };
                deliveries.Add((name, Encoding.UTF8.GetBytes(payload.ToJsonString()), Guid.NewGuid().ToString()));
            }
        }

        // Warm-up: JIT and connections, on a repository nobody links.
        for (var i = 0; i < 20; i++)
        {
            await SendAsync(http, "workflow_run", Encoding.UTF8.GetBytes(Workflow(payloads, -1, "CI", "main", i).ToJsonString()), Guid.NewGuid().ToString());
        }

        var evaluator = host.Services.GetRequiredService<SignalEvaluator>();
        while (await inbox.CountPendingAsync(CancellationToken.None) > 0)
        {
            await evaluator.DrainAsync(CancellationToken.None);
        }

        var evaluationsBefore = SignalEvaluator.Evaluations;
        var latencies = new ConcurrentBag<double>();
        var floor = new ConcurrentBag<double>();
        var refused = 0;
        var forgedAccepted = 0;
        using var breakdown = new AckBreakdown(evaluator);
        var burst = Stopwatch.StartNew();
        await Parallel.ForEachAsync(deliveries.Select((d, i) => (d, i)), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (x, _) =>
        {
            var started = breakdown.Start();
            var status = await SendAsync(http, x.d.Event, x.d.Body, x.d.Id);
            latencies.Add(breakdown.End(started, x.d.Id));
            if (status != 202)
            {
                Interlocked.Increment(ref refused);
            }

            if (x.i % 10 == 0)
            {
                // The same request with a wrong signature: refused before any storage, so it shows what the host and machine cost alone.
                var watch = Stopwatch.StartNew();
                if (await SendAsync(http, x.d.Event, x.d.Body, Guid.NewGuid().ToString(), "forged-" + Secret) != 401)
                {
                    Interlocked.Increment(ref forgedAccepted);
                }

                floor.Add(watch.Elapsed.TotalMilliseconds);
            }
        });
        burst.Stop();

        var drain = Stopwatch.StartNew();
        while (await inbox.CountPendingAsync(CancellationToken.None) > 0)
        {
            await evaluator.DrainAsync(CancellationToken.None, parallelism: 8);
            await Task.Delay(50);
        }

        drain.Stop();
        var evaluated = 0;
        foreach (var d in deliveries)
        {
            if (await inbox.GetAsync("github", d.Id, CancellationToken.None) is { EvaluatedAt: not null })
            {
                evaluated++;
            }
        }

        var evaluations = SignalEvaluator.Evaluations - evaluationsBefore;
        var ticks = 0;
        var duplicates = 0;
        foreach (var id in ids)
        {
            var audit = (await store.GetAuditAsync(id, CancellationToken.None)).Where(a => a.Actor.IsSignal).ToList();
            ticks += audit.Count;
            duplicates += audit.GroupBy(a => a.ItemId).Count(g => g.Count() > 1);
        }

        var sorted = latencies.Order().ToList();
        Console.WriteLine($"signed GitHub deliveries through POST /api/hooks/github (local host + Azurite, in process): {deliveries.Count} for {releases} releases, {concurrency} at a time");
        Console.WriteLine($"  acknowledged: {deliveries.Count - refused} with 202 in {burst.Elapsed.TotalMilliseconds:F0} ms · latency p50 {Percentiles.Of(sorted, 50):F1} ms · p99 {Percentiles.Of(sorted, 99):F1} ms · max {sorted[^1]:F1} ms (goal: p99 < 50 ms)");
        var floorSorted = floor.Order().ToList();
        Console.WriteLine($"  the same requests forged (refused at the signature, no storage), {floor.Count} among them: p50 {Percentiles.Of(floorSorted, 50):F1} ms · p99 {Percentiles.Of(floorSorted, 99):F1} ms — the host's and the machine's share");
        Console.WriteLine($"  evaluated: {evaluated}/{deliveries.Count} deliveries in {drain.Elapsed.TotalMilliseconds:F0} ms after the burst; evaluations {evaluations} (goal: exactly {deliveries.Count})");
        Console.WriteLine($"  items ticked by signals: {ticks} (expected {releases * Math.Min(4, perRelease)}), items ticked twice: {duplicates}");
        breakdown.Print();
        // Where an acknowledgement's time goes, one at a time on the same host: reading the event, and the one inbox write.
        var sample = Encoding.UTF8.GetBytes(Workflow(payloads, -1, "CI", "main", 0).ToJsonString());
        var parse = new List<double>();
        var write = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var watch = Stopwatch.StartNew();
            var signal = GitHubDeliveries.Read("workflow_run", sample);
            parse.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await inbox.AcceptAsync("github", Guid.NewGuid().ToString(), signal, CancellationToken.None);
            write.Add(watch.Elapsed.TotalMilliseconds);
        }

        parse.Sort();
        write.Sort();
        Console.WriteLine($"  one at a time ({sample.Length / 1024} KB workflow_run): reading the event p50 {Percentiles.Of(parse, 50):F2} ms · p99 {Percentiles.Of(parse, 99):F2} ms; inbox write p50 {Percentiles.Of(write, 50):F1} ms · p99 {Percentiles.Of(write, 99):F1} ms");
        await host.StopAsync();
        var goals = new (string Goal, bool Met)[]
        {
            ("every delivery acknowledged with 202", refused == 0),
            ("every forged delivery refused with 401", forgedAccepted == 0),
            ("acknowledgement p99 under 50 ms", Percentiles.Of(sorted, 99) < 50),
            ("every delivery evaluated", evaluated == deliveries.Count),
            ("none evaluated twice", evaluations == deliveries.Count && duplicates == 0),
            ("every expected item ticked", ticks == releases * Math.Min(4, perRelease)),
        };
        foreach (var (goal, met) in goals)
        {
            Console.WriteLine($"  {(met ? "met   " : "MISSED")} {goal}");
        }

        return goals.All(g => g.Met) ? 0 : 1;
    }

    private static string Repository(int n) => string.Create(CultureInfo.InvariantCulture, $"bench/shop{n}");

    private static JsonObject Sample(string folder, string name, int n)
    {
        var payload = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, name + ".json")))!.AsObject();
        payload["repository"]!["full_name"] = n < 0 ? "bench/unlinked" : Repository(n);
        return payload;
    }

    private static JsonObject Workflow(string folder, int n, string name, string branch, int k)
    {
        var payload = Sample(folder, "workflow_run.completed", n);
        payload["workflow"]!["name"] = name;
        payload["workflow_run"]!["name"] = name;
        payload["workflow_run"]!["head_branch"] = branch;
        payload["workflow_run"]!["html_url"] = string.Create(CultureInfo.InvariantCulture, $"https://github.com/{Repository(n)}/actions/runs/{(n * 100) + k}");
        return payload;
    }

    private static JsonObject Release(string folder, int n, string tag)
    {
        var payload = Sample(folder, "release.published", n);
        payload["release"]!["tag_name"] = tag;
        return payload;
    }

    private static JsonObject Deployment(string folder, int n, string environment, string gitRef)
    {
        var payload = Sample(folder, "deployment_status.with-installation", n);
        payload["deployment"]!["environment"] = environment;
        payload["deployment"]!["ref"] = gitRef;
        payload["deployment_status"]!["environment"] = environment;
        return payload;
    }

    private static async Task<int> SendAsync(HttpClient http, string eventName, byte[] body, string delivery, string secret = Secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/hooks/github") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", delivery);
        request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Sign(secret, body));
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }
}
