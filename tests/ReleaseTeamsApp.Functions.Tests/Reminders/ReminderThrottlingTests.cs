using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Planning;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.LocalHost;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Reminders;

/// <summary>
/// Digests sent through the real connector client and pacer to a stand-in that enforces Teams' rate limits (429 with
/// Retry-After): every digest arrives exactly once, also when Teams throttles harder than the pacer expects and when
/// the sweep stops halfway and the next sweep takes over.
/// </summary>
[Collection("Azurite")]
public sealed class ReminderThrottlingTests(AzuriteFixture azurite)
{
    private const string Tenant = "tenant-throttled";

    // A Wednesday at noon in Berlin: outside quiet hours.
    private static readonly DateTimeOffset Now = new(2026, 9, 16, 12, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public async Task RunAsync_TeamsThrottlesHarderThanPaced_EveryDigestArrivesOnce()
    {
        // Teams allows a fifth of what the pacer assumes: it has to answer 429 and the client has to wait its Retry-After.
        await using var teams = await LimitedTeamsConnector.StartAsync(new LimitedTeamsConnectorOptions { TenantPerSecond = 10 });
        var (sweep, _) = await ArrangeAsync(teams, releases: 6, new FixedTime(Now));

        var result = await sweep.RunAsync(CancellationToken.None);

        Assert.True(teams.Throttled > 0, "the stand-in never throttled: the test did not exercise 429s");
        Assert.True(result.Sent > 0);
        Assert.Equal(result.Sent, teams.Posted.Count);
        Assert.Empty(Duplicates(teams));
        Assert.Equal(0, result.Failed);
    }

    [Fact]
    public async Task RunAsync_SweepStopsHalfwayUnderThrottling_NextSweepSendsTheRestAndNothingTwice()
    {
        await using var teams = await LimitedTeamsConnector.StartAsync(new LimitedTeamsConnectorOptions { TenantPerSecond = 10 });
        var clock = new FixedTime(Now);
        var (sweep, expected) = await ArrangeAsync(teams, releases: 6, clock);
        using var crash = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            while (teams.Posted.Count < 5)
            {
                await Task.Delay(10);
            }

            await crash.CancelAsync();
        });

        var crashed = await Record.ExceptionAsync(() => sweep.RunAsync(crash.Token));
        await watching;
        var beforeCrash = teams.Posted.Count;
        clock.Now = Now + TimeSpan.FromMinutes(11);
        await sweep.RunAsync(CancellationToken.None);
        await sweep.RunAsync(CancellationToken.None);

        Assert.IsAssignableFrom<OperationCanceledException>(crashed);
        Assert.InRange(beforeCrash, 5, expected - 1);
        Assert.Equal(expected, teams.Posted.Count);
        Assert.Empty(Duplicates(teams));
    }

    private static List<string> Duplicates(LimitedTeamsConnector teams) =>
        teams.Posted.GroupBy(p => (p.ConversationId, p.Text)).Where(g => g.Count() > 1).Select(g => g.Key.Text ?? "").ToList();

    /// <summary>Releases of one tenant with items due now, and a sweep wired like the app (connector client, pacer, markers).</summary>
    private async Task<(ReminderSweep Sweep, int ExpectedDigests)> ArrangeAsync(LimitedTeamsConnector teams, int releases, FixedTime clock)
    {
        var tables = azurite.CreateTables(azurite.NewTablePrefix());
        var store = new TableReleaseStore(tables);
        var template = ChecklistTemplateLoader.Default;
        var manager = new Person("29:rm", "Rita Release-Manager");
        var roles = ReleaseRoles.All.Aggregate(RoleAssignments.Empty, (r, role) => r.Assign(role, role == ReleaseRole.ReleaseManager ? manager : new Person($"29:{role}", role.DisplayName())));
        for (var n = 0; n < releases; n++)
        {
            var release = new Release
            {
                Id = "throttled" + n.ToString("D3", CultureInfo.InvariantCulture),
                Version = $"3.{n}.0",
                Channel = new ChannelKey(Tenant, "team-throttled", $"19:channel{n % 2}@thread.tacv2"),
                // Release day in five days: the T-5 items are due within the day, the earlier ones overdue.
                ReleaseDate = DateOnly.FromDateTime(Now.AddDays(5).Date),
                TimeZoneId = "Europe/Berlin",
                TemplateId = template.Id,
                TemplateVersion = template.Version,
                Roles = roles,
                CreatedBy = manager,
                CreatedAt = Now.AddDays(-20),
                Thread = new ReleaseThread(teams.ServiceUrl, $"19:channel{n % 2}@thread.tacv2;messageid={n}", n.ToString(CultureInfo.InvariantCulture), new Dictionary<string, string>()),
            };
            await store.CreateAsync(release, ReleasePlanner.PlanItems(template, release), new AuditEvent(release.Id, release.CreatedAt, manager, AuditActions.ReleaseCreated), CancellationToken.None);
        }

        var services = new ServiceCollection()
            .AddLogging()
            .AddBotProtocol(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MicrosoftAppId"] = "",
                ["Bot:AllowAnonymous"] = "true",
                ["Bot:Connector:MaxAttempts"] = "20",
            }).Build())
            .BuildServiceProvider();
        var options = Options.Create(new RemindersOptions());
        var publisher = new ReleaseThreadPublisher(services.GetRequiredService<IConnectorClient>(), new ReleaseCards(clock), NullLogger<ReleaseThreadPublisher>.Instance);
        var sweep = new ReminderSweep(store, new DueItemsReader(tables), new SentMarkers(tables, options, clock), publisher, options, clock, NullLogger<ReminderSweep>.Instance);

        // What one uninterrupted sweep would send: the digests the plan makes for every release, one message per person and channel.
        var digests = new List<ReminderDigest>();
        foreach (var n in Enumerable.Range(0, releases))
        {
            var state = await store.GetAsync("throttled" + n.ToString("D3", CultureInfo.InvariantCulture), CancellationToken.None);
            var due = state!.Items.Where(i => i.DueAt is { } at && at >= Now - options.Value.Lookback && at < Now + options.Value.DueSoon && !i.IsSettled).ToList();
            digests.AddRange(ReminderPlan.Digests(state.Release, due, Now, options.Value));
        }

        return (sweep, ChannelDigest.Group(digests).Count);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
