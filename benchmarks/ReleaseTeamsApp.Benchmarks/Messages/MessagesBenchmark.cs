using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Benchmarks.Infrastructure;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Benchmarks.Messages;

/// <summary>
/// Messages per person per day over the README walkthrough (<see cref="Walkthrough"/>), from the real reminder sweep
/// against Azurite and a connector that records what was posted ("after"), next to what the same sweeps would have posted
/// with the code before quiet-by-design ("before", see <see cref="BeforeQuiet"/>). Two runs: the README's own clock steps,
/// and the reminder timer every 5 minutes (its production schedule) over the same two weeks. Exits 1 when someone got
/// more than one reminder message or more than one escalation on a day.
/// </summary>
internal static class MessagesBenchmark
{
    public static async Task<int> RunAsync()
    {
        using var azurite = Azurite.Ensure(RepositoryRoot.Find());
        Console.WriteLine("Messages per person per day: the README walkthrough's release 2.4.0 (16 Jun 2026, moved to 17 Jun), T-14 to T-1, Europe/Berlin.");
        Console.WriteLine($"before = {BeforeQuiet.Explanation}");
        Console.WriteLine("after  = what the current reminder sweep posted (one reminder message per person and day across the channel's releases, one escalation per Release Manager and day that lists only what changed).");
        var exit = 0;
        var all = Walkthrough.Actions;
        foreach (var (name, sweeps, actions) in new (string, IReadOnlyList<DateTimeOffset>, IReadOnlyList<WalkthroughAction>)[]
        {
            ("the README's clock steps (Wed 3 Jun 09:00 … Tue 9 Jun 08:05, each runs the timers)", Walkthrough.ReadmeClock, all),
            ("the reminder timer every 5 minutes, Tue 2 Jun 09:00 … Tue 16 Jun 24:00", EveryFiveMinutes(), all),
            ("the reminder timer every 5 minutes, the same two weeks, but the 17 items of Tuesday 9 Jun stay open (the release falls behind)", EveryFiveMinutes(), all.Take(1).ToList()),
        })
        {
            exit |= await RunAsync(name, sweeps, actions);
        }

        return exit;
    }

    private static async Task<int> RunAsync(string name, IReadOnlyList<DateTimeOffset> sweeps, IReadOnlyList<WalkthroughAction> walkthroughActions)
    {
        var prefix = "msgs" + Guid.NewGuid().ToString("N")[..8];
        var tables = new ReleaseTables(Options.Create(new StorageOptions { ConnectionString = Azurite.ConnectionString, TablePrefix = prefix }));
        await StorageCreation.CreateAllAsync([tables], CancellationToken.None);
        var store = new TableReleaseStore(tables);
        var time = new SettableTime(Walkthrough.Created);
        var connector = new PostedMessages(time);
        var options = Options.Create(new RemindersOptions());
        var publisher = new ReleaseThreadPublisher(connector, new ReleaseCards(time), NullLogger<ReleaseThreadPublisher>.Instance);
        var sweep = new ReminderSweep(store, new DueItemsReader(tables), new SentMarkers(tables, options, time), publisher, options, time, NullLogger<ReminderSweep>.Instance);
        var releaseId = await Walkthrough.CreateAsync(store, "https://smba.walkthrough.test/");
        var before = new BeforeQuiet(options.Value);
        var actions = walkthroughActions.ToList();
        foreach (var at in sweeps)
        {
            time.Now = at;
            await sweep.RunAsync(CancellationToken.None);
            before.Sweep((await store.GetAsync(releaseId, CancellationToken.None))!, at);
            foreach (var action in actions.Where(a => a.At <= at).ToList())
            {
                await action.Do(store, releaseId, at);
                actions.Remove(action);
            }
        }

        var days = sweeps.Select(Day).Distinct().Count(d => DateOnly.ParseExact(d, "yyyyMMdd", CultureInfo.InvariantCulture).DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        Console.WriteLine();
        Console.WriteLine($"Swept at {name}: {sweeps.Count} sweeps over {days} weekdays.");
        Console.WriteLine("| person | gets the items of | after: reminders / escalations | after per weekday (most on one day) | before: reminders / escalations | before per weekday (most on one day) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        var exit = 0;
        foreach (var (person, _) in Walkthrough.Team.DistinctBy(t => t.Person.Id))
        {
            var after = connector.Posted.Where(p => p.Recipient == person.Id).Select(p => (p.Day, p.Escalation)).ToList();
            var old = before.Messages.Where(m => m.Recipient == person.Id).Select(m => (m.Day, m.Escalation)).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {person.Name} | {Walkthrough.RolesOf(person)} | {after.Count(m => !m.Escalation)} / {after.Count(m => m.Escalation)} | {Rate(after, days)} | {old.Count(m => !m.Escalation)} / {old.Count(m => m.Escalation)} | {Rate(old, days)} |"));
            if (after.GroupBy(m => m).Any(g => g.Count() > 1))
            {
                Console.WriteLine($"  goal missed: {person.Name} got more than one message of a kind on a day");
                exit = 1;
            }
        }

        var all = connector.Posted.Select(p => (p.Day, p.Escalation)).ToList();
        var everyone = before.Messages.Select(m => (m.Day, m.Escalation)).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| everyone | | {all.Count(m => !m.Escalation)} / {all.Count(m => m.Escalation)} | {Rate(all, days)} | {everyone.Count(m => !m.Escalation)} / {everyone.Count(m => m.Escalation)} | {Rate(everyone, days)} |"));
        var escalations = connector.Posted.Where(p => p.Escalation).ToList();
        var oldEscalations = before.Messages.Where(m => m.Escalation).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Items listed per escalation: after {Average(escalations.Select(e => e.Rows))} (newly overdue, with a Done button; done since and still overdue are counted), before {Average(oldEscalations.Select(e => e.Rows))} (every item overdue beyond the limit); most in one: after {escalations.Select(e => e.Rows).DefaultIfEmpty().Max()}, before {oldEscalations.Select(e => e.Rows).DefaultIfEmpty().Max()}."));

        foreach (var table in new[] { tables.Releases, tables.ReleaseIndex, tables.DueIndex, tables.Reminders, tables.Conversations, tables.Outbox })
        {
            await table.DeleteAsync();
        }

        return exit;
    }

    /// <summary>"0.45 (2)": messages per weekday, and the most on one day.</summary>
    private static string Rate(List<(string Day, bool Escalation)> messages, int days) =>
        string.Create(CultureInfo.InvariantCulture, $"{(double)messages.Count / Math.Max(1, days):F2} ({messages.GroupBy(m => m.Day).Select(g => g.Count()).DefaultIfEmpty().Max()})");

    private static string Average(IEnumerable<int> rows) => rows.DefaultIfEmpty().Average().ToString("F1", CultureInfo.InvariantCulture);

    private static List<DateTimeOffset> EveryFiveMinutes()
    {
        var times = new List<DateTimeOffset>();
        for (var at = Walkthrough.Created; at < Walkthrough.End; at += TimeSpan.FromMinutes(5))
        {
            times.Add(at);
        }

        return times;
    }

    internal static string Day(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A Teams connector that records each posted message: whom it mentions, on which local day, and what kind it is.</summary>
    private sealed class PostedMessages(TimeProvider time) : IConnectorClient
    {
        private int _ids;

        public ConcurrentQueue<(string Recipient, string Day, bool Escalation, int Rows)> Posted { get; } = new();

        public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken)
        {
            var card = activity.Attachments?.FirstOrDefault()?.Content is System.Text.Json.Nodes.JsonNode content ? content.ToJsonString() : "";
            foreach (var mention in activity.GetMentions())
            {
                Posted.Enqueue((mention.Mentioned!.Id!, Day(time.GetUtcNow()), activity.Summary?.StartsWith("Escalation", StringComparison.Ordinal) == true,
                    card.Split("\"verb\":\"item.complete\"").Length - 1));
            }

            return Task.FromResult(new ResourceResponse { Id = $"posted-{Interlocked.Increment(ref _ids)}" });
        }

        public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string replyToId, Activity activity, CancellationToken cancellationToken) =>
            SendToConversationAsync(serviceUrl, conversationId, activity, cancellationToken);

        public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
            Task.FromResult(new ResourceResponse { Id = activityId });

        public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<TeamsChannelAccount> GetConversationMemberAsync(string serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken) =>
            Task.FromResult(new TeamsChannelAccount { Id = memberId });
    }
}
