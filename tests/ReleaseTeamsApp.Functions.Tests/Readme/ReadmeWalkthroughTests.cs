using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReleaseTeamsApp.Functions.Tests.Tab;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Readme;

/// <summary>
/// README.md's "Play a release from T-14 to T+7", run the way a reader runs it: every ```bash block of the section,
/// command by command in one bash, from the repository root, starting with <c>./run.sh &amp;</c>; then, against the same
/// host, the quick start's curl block and the "Custom checklist templates" block. What the test changes, and only this:
/// <list type="bullet">
/// <item>the lines <c>H=http://localhost:7071</c> and <c>B=http://localhost:7071</c> get a free port instead of 7071,
/// and run.sh gets <c>LocalHost__Port</c> for the same port, so the run never meets a host a developer left on 7071;</item>
/// <item>the host gets the values of local.settings.sample.json as environment variables (what a fresh clone's
/// local.settings.json holds; a developer's own file may differ), with the test's Azurite connection string and a
/// table prefix of its own so every run starts from empty tables.</item>
/// </list>
/// The assertions are what the commands' comments promise; exact texts are left to the bot's own tests.
/// </summary>
public sealed partial class ReadmeWalkthroughTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Walkthrough = "Play a release from T-14 to T+7";
    private const string WalkthroughHostLine = "H=http://localhost:7071";
    private const string QuickStartHostLine = "B=http://localhost:7071";
    private const string DevTenant = "00000000-0000-0000-0000-00000000dev0";

    [Fact]
    public async Task PlayARelease_AsWritten_EndsClosedWithItsReportStored()
    {
        var root = TabRepository.Root();
        var port = FreePort();
        var prefix = azurite.NewTablePrefix();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var commands = ReadmeSection.BashCommands(readme, Walkthrough).ToList();
        Assert.StartsWith("./run.sh &", commands[0], StringComparison.Ordinal);
        commands.AddRange(ReadmeSection.BashBlocks(readme, "Quick start").Single(b => b[0] == QuickStartHostLine));
        commands.AddRange(ReadmeSection.BashCommands(readme, "Custom checklist templates"));
        foreach (var line in new[] { WalkthroughHostLine, QuickStartHostLine })
        {
            var index = commands.IndexOf(line);
            Assert.True(index >= 0, $"The README no longer sets '{line}'; update this test's substitution.");
            commands[index] = line.Replace(":7071", $":{port}", StringComparison.Ordinal);
        }

        var checklist = Path.Combine(root, "my-checklist.json");
        var checklistExisted = File.Exists(checklist);
        var environment = SampleSettings(root);
        environment["LocalHost__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Storage__ConnectionString"] = azurite.ConnectionString;
        environment["Storage__TablePrefix"] = prefix;

        var host = new Uri($"http://localhost:{port}/");
        JsonArray log = [];
        IReadOnlyList<ReadmeStep> steps;
        try
        {
            steps = await ReadmeScript.RunAsync(commands, root, environment, host, TimeSpan.FromMinutes(15), async () =>
            {
                using var client = new HttpClient { BaseAddress = host };
                log = JsonNode.Parse(await client.GetStringAsync(new Uri("_dev/connector/activities", UriKind.Relative)))!.AsArray();
            });
        }
        finally
        {
            if (!checklistExisted)
            {
                File.Delete(checklist);
            }
        }

        var run = new Run(steps, log);
        Assert.Equal(commands.Count, steps.Count);
        Assert.All(steps, step => Assert.True(step.ExitCode == 0, $"'{step.Command}' exited {step.ExitCode}:\n{step.Output}"));

        // T-14: the release thread, and every role holder Alice (the creator, so Release Manager) assigns is told.
        var created = run.Step("posts 10");
        Assert.Contains("Release 2.4.0", created.Output, StringComparison.Ordinal);
        Assert.All(["bob", "carol", "dan", "frank", "heidi"], person => Assert.Contains(Run.Mentioned(run.PostsUpTo(created)), m => m == Name(person)));

        // T-13 … T-1.
        var wednesday = run.Step("Wed 09:00");
        Assert.Equal([["Alice"]], run.NewPosts(wednesday).Select(Run.MentionsOf));
        var thursday = run.Step("Thu: overdue > 24 h");
        Assert.Contains(run.NewPosts(thursday), p => Run.TextOf(p).Contains("scalat", StringComparison.OrdinalIgnoreCase) && Run.MentionsOf(p).Contains("Alice"));
        Assert.Contains(run.NewPosts(thursday), p => Run.MentionsOf(p).Contains("Carol"));
        Assert.Empty(run.NewPosts(run.Step("Thu 21:00: quiet hours")));
        var friday = run.NewPosts(run.Step("Fri 08:05")).ToList();
        Assert.NotEmpty(friday);
        AssertOneDigestPerPerson(friday);
        var monday = run.NewPosts(run.Step("Mon after the weekend")).ToList();
        Assert.NotEmpty(monday);
        AssertOneDigestPerPerson(monday);
        Assert.Single(run.Posts(), p => Run.TextOf(p).Contains("moved", StringComparison.OrdinalIgnoreCase));
        var goNoGo = run.Step("go/no-go 2.4.0");
        Assert.Contains("no-go", goNoGo.Output, StringComparison.OrdinalIgnoreCase);

        // T: release day — GO, deployment start and finish, each a reply that is not a refusal.
        AssertAccepted(run.Step("\"text\":\"go 2.4.0\""), "GO");
        AssertAccepted(run.Step("deploy start 2.4.0"), "start");
        AssertAccepted(run.Step("deploy done 2.4.0"), "finished");
        var followUps = run.NewPosts(run.Step("follow-ups: metrics prompt")).Select(Run.TextOf).ToList();
        Assert.Contains(followUps, t => t.Contains("metrics", StringComparison.OrdinalIgnoreCase) && t.Contains("<at>Alice</at>", StringComparison.Ordinal));
        Assert.Contains(followUps, t => t.Contains("retrospective", StringComparison.OrdinalIgnoreCase));

        // T+1 … T+7.
        var day1 = run.NewPosts(run.Step("+24 h: monitoring check-in")).ToList();
        Assert.Contains(day1, p => Run.TextOf(p).Contains("24", StringComparison.Ordinal) && Run.MentionsOf(p).Contains("Dan"));
        Assert.Contains(day1, p => Run.TextOf(p).Contains("support", StringComparison.OrdinalIgnoreCase) && Run.MentionsOf(p).Contains("Heidi"));
        Assert.Contains(run.NewPosts(run.Step("+48 h: 48 h monitoring")), p => Run.TextOf(p).Contains("48", StringComparison.Ordinal));
        var closing = run.Step("is closed\": status Closed");
        Assert.Contains("is closed", closing.Output, StringComparison.Ordinal);
        var report = run.Step("the stored report");
        Assert.Contains("# Release 2.4.0", report.Output, StringComparison.Ordinal);
        Assert.Contains("Closed", report.Output, StringComparison.Ordinal);
        Assert.Empty(run.NewPosts(run.Step("T+7: nothing more")));

        // What the closing comment promises, read from the store: status Closed, audit release.closed, report stored.
        var store = azurite.CreateStore(prefix);
        var releaseId = await store.FindIdAsync(new ChannelKey(DevTenant, "19:dev-team@thread.tacv2", "19:dev-team@thread.tacv2"), "2.4.0", CancellationToken.None);
        Assert.NotNull(releaseId);
        var state = await store.GetAsync(releaseId, CancellationToken.None);
        Assert.Equal(ReleaseStatus.Closed, state!.Release.Status);
        Assert.NotNull(state.Release.GoNoGo);
        Assert.NotNull(state.Release.Deployment?.FinishedAt);
        Assert.Contains(await store.GetAuditAsync(releaseId, CancellationToken.None), e => e.Action == AuditActions.ReleaseClosed);
        Assert.Contains("2.4.0", await store.GetReportAsync(releaseId, ReleaseReportFormat.Markdown, CancellationToken.None) ?? "", StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(await store.GetReportAsync(releaseId, ReleaseReportFormat.Csv, CancellationToken.None)));

        // Quick start: a release, a role, the posted cards, Bob's tick from a card, a day later.
        Assert.Contains("\"now\":\"2026-11-26", run.Step("two weeks before the release").Output, StringComparison.Ordinal);
        Assert.Contains(run.NewPosts(run.Step("{\"text\":\"assign qa\"")), p => Run.MentionsOf(p).Contains("Bob"));
        var cards = run.Step("the cards the bot posted").Output;
        Assert.Contains("application/vnd.microsoft.card.adaptive", cards, StringComparison.Ordinal);
        Assert.Contains("2.5.0", cards, StringComparison.Ordinal);
        Assert.Contains("adaptive", run.Step("\\\"user\\\":\\\"bob\\\"").Output, StringComparison.Ordinal);
        Assert.Contains("\"now\":\"2026-11-27", run.Step("a day later; timers run").Output, StringComparison.Ordinal);
        var quickStartId = await store.FindIdAsync(new ChannelKey(DevTenant, "19:dev-team@thread.tacv2", "19:dev-team@thread.tacv2"), "2.5.0", CancellationToken.None);
        var quickStart = await store.GetAsync(quickStartId!, CancellationToken.None);
        Assert.True(quickStart!.Item("team-automation-coverage")?.IsSettled, "Bob's click from the quick start settles his item");

        // Custom checklist templates: validate (exit 0), upload (201 with the id), list.
        Assert.Contains("valid: my-checklist", run.Step("templates validate my-checklist.json").Output, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"my-checklist\"", run.Step("--data-binary @my-checklist.json").Output, StringComparison.Ordinal);
        Assert.Contains("my-checklist", run.Step("the team's templates").Output, StringComparison.Ordinal);
    }

    private static void AssertAccepted(ReadmeStep step, string word)
    {
        // Card updates go out from a queue and may land after the reply: the reply is the newest message.
        var reply = PostLine().Matches(step.Output).Where(m => m.Groups[1].Value != "update").Select(m => m.Groups[3].Value).LastOrDefault() ?? "";
        Assert.Contains(word, reply, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", reply, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("has not started", reply, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Digests to people (not the Release Manager's escalation): never two for the same person at once.</summary>
    private static void AssertOneDigestPerPerson(IEnumerable<JsonObject> posts)
    {
        var digests = posts.Where(p => !Run.TextOf(p).Contains("scalat", StringComparison.OrdinalIgnoreCase)).Select(Run.MentionsOf).ToList();
        Assert.All(digests, d => Assert.Single(d));
        Assert.Equal(digests.Count, digests.Select(d => d[0]).Distinct().Count());
    }

    private static string Name(string user) => char.ToUpperInvariant(user[0]) + user[1..];

    /// <summary>local.settings.sample.json's Values, the way a fresh clone's run.sh starts the host with them.</summary>
    private static Dictionary<string, string> SampleSettings(string root)
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "local.settings.sample.json")))!["Values"]!.AsObject();
        return sample.ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value?.ToJsonString() ?? "");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^(send|reply|create|update) (\d+): (.*)$", RegexOptions.Multiline)]
    private static partial Regex PostLine();

    /// <summary>The steps and the Teams stand-in's full log (posts with their mentions) read after the last step.</summary>
    private sealed class Run(IReadOnlyList<ReadmeStep> steps, JsonArray log)
    {
        public ReadmeStep Step(string commandPart)
        {
            var matches = steps.Where(s => s.Command.Contains(commandPart, StringComparison.Ordinal)).ToList();
            Assert.True(matches.Count == 1, $"Expected one walkthrough command containing '{commandPart}', found {matches.Count}: the README changed, update this test.");
            return matches[0];
        }

        /// <summary>New messages (create, send, reply; not card updates) the stand-in recorded while the step ran.</summary>
        public IEnumerable<JsonObject> NewPosts(ReadmeStep step)
        {
            var before = step.Index == 0 ? 0 : steps[step.Index - 1].LastPostId;
            return Posts().Where(p => Id(p) > before && Id(p) <= step.LastPostId);
        }

        public IEnumerable<JsonObject> PostsUpTo(ReadmeStep step) => Posts().Where(p => Id(p) <= step.LastPostId);

        public IEnumerable<JsonObject> Posts() =>
            log.OfType<JsonObject>().Where(e => (string?)e["operation"] is "create" or "send" or "reply");

        public static string TextOf(JsonObject post)
        {
            var activity = post["activity"]?["activity"] ?? post["activity"];
            return $"{(string?)activity?["summary"]} {(string?)activity?["text"]}";
        }

        public static List<string> MentionsOf(JsonObject post)
        {
            var activity = post["activity"]?["activity"] ?? post["activity"];
            return [.. (activity?["entities"]?.AsArray() ?? [])
                .Where(e => (string?)e?["type"] == "mention")
                .Select(e => (string?)e?["mentioned"]?["name"] ?? "")
                .Distinct(StringComparer.Ordinal)];
        }

        public static IEnumerable<string> Mentioned(IEnumerable<JsonObject> posts) => posts.SelectMany(MentionsOf);

        private static int Id(JsonObject post) => int.Parse((string)post["activityId"]!, System.Globalization.CultureInfo.InvariantCulture);
    }
}
