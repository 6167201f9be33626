using System.Text.Json.Nodes;
using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Outbox;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Retrospective;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;

namespace ReleaseTeamsApp.Tests.Graph;

[Collection("Azurite")]
public sealed class OutboxWorkerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private OutboxHarness _h = null!;

    public async Task InitializeAsync() => _h = await OutboxHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RequestAsync_FirstTime_CreatesOneTeamsMeetingForRoleHoldersAndStakeholders()
    {
        var state = OutboxHarness.State();

        var requested = await _h.Booking.RequestAsync(state, [], TimeSpan.FromMinutes(95), default);
        var completed = await _h.Worker().RunAsync(default);

        Assert.Equal(RetrospectiveChange.EventQueued, requested.Change);
        var find = Assert.Single(_h.Graph.To("POST", "/findMeetingTimes"));
        Assert.Equal("/v1.0/users/releases%40octoacme.test/findMeetingTimes", find.Target);
        Assert.Equal("2026-06-19T07:00:00", find.Json["timeConstraint"]!["timeSlots"]![0]!["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal("2026-06-23T15:00:00", find.Json["timeConstraint"]!["timeSlots"]![0]!["end"]!["dateTime"]!.GetValue<string>());
        Assert.Equal("PT1H", find.Json["meetingDuration"]!.GetValue<string>());
        var create = Assert.Single(_h.Graph.EventCreates);
        Assert.Equal("/v1.0/users/releases%40octoacme.test/events", create.Target);
        Assert.Equal("Bearer test-token", create.Header("Authorization"));
        Assert.Equal("outlook.timezone=\"UTC\"", create.Header("Prefer"));
        var json = create.Json;
        Assert.True(json["isOnlineMeeting"]!.GetValue<bool>());
        Assert.Equal("teamsForBusiness", json["onlineMeetingProvider"]!.GetValue<string>());
        Assert.Equal(OutboxKeys.TransactionId($"retro|{state.Release.Id}").ToString(), json["transactionId"]!.GetValue<string>());
        Assert.Equal("Retrospective: release 2.4.0", json["subject"]!.GetValue<string>());
        Assert.Equal("2026-06-19T12:00:00", json["start"]!["dateTime"]!.GetValue<string>()); // 14:00 Berlin, first working day ≥ T+3
        Assert.Equal("UTC", json["start"]!["timeZone"]!.GetValue<string>());
        Assert.Equal("2026-06-19T13:00:00", json["end"]!["dateTime"]!.GetValue<string>());
        var invited = json["attendees"]!.AsArray().Select(a => a!["emailAddress"]!["address"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(People.Team.Values.Select(p => p.Email!).Append(OutboxHarness.Stakeholder).Order().ToList(), invited);
        Assert.All(json["attendees"]!.AsArray(), a => Assert.Equal("required", a!["type"]!.GetValue<string>()));
        Assert.Equal("html", json["body"]!["contentType"]!.GetValue<string>());
        Assert.Contains("<b>Deployment duration:</b> 1 h 35 min", json["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var entry = Assert.Single(completed);
        Assert.Equal(OutboxStatus.Sent, entry.Status);
        Assert.StartsWith("https://teams.microsoft.com/l/meetup-join/AAMk-", entry.Result!.JoinUrl, StringComparison.Ordinal);
        Assert.Equal((await _h.EntryAsync(state.Release.Id, requested.Key)).Result!.EventId, entry.Result.EventId);
    }

    [Fact]
    public async Task RunAsync_GraphSuggestsATime_EventStartsThen()
    {
        var state = OutboxHarness.State();
        _h.Graph.Suggestion = new DateTimeOffset(2026, 6, 22, 8, 30, 0, TimeSpan.Zero);
        await _h.Booking.RequestAsync(state, [], null, default);

        var entry = Assert.Single(await _h.Worker().RunAsync(default));

        Assert.Equal("2026-06-22T08:30:00", Assert.Single(_h.Graph.EventCreates).Json["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal(_h.Graph.Suggestion, entry.Result!.Start);
    }

    [Fact]
    public async Task RequestAsync_AgainWithNewBlocker_PatchesOnlyTheBodyAndNeverCreatesTwice()
    {
        var state = OutboxHarness.State();
        await _h.Booking.RequestAsync(state, [], null, default);
        var created = Assert.Single(await _h.Worker().RunAsync(default));
        var blocked = new AuditEvent(state.Release.Id, OutboxHarness.Now, People.Bob, AuditActions.ItemBlocked, state.Items[0].Id, "Open", "Blocked", "Staging DB is down");

        var second = await _h.Booking.RequestAsync(state, [blocked], null, default);
        var third = await _h.Booking.RequestAsync(state, [blocked], null, default);
        await _h.Worker().RunAsync(default);

        Assert.Equal(RetrospectiveChange.AgendaUpdateQueued, second.Change);
        Assert.Equal(RetrospectiveChange.Unchanged, third.Change);
        Assert.Single(_h.Graph.EventCreates);
        var patch = Assert.Single(_h.Graph.Requests, r => r.Method == "PATCH");
        Assert.Equal($"/v1.0/users/releases%40octoacme.test/events/{created.Result!.EventId}", patch.Target);
        Assert.Equal(["body"], patch.Json.Select(p => p.Key).Where(k => !k.StartsWith('@')).ToList());
        Assert.Contains("Staging DB is down", patch.Json["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, (await _h.Outbox.ListAsync(state.Release.Id, default)).Count);
    }

    [Fact]
    public async Task RunAsync_AgendaChangedBeforeEventExists_UpdateWaitsForTheEvent()
    {
        var state = OutboxHarness.State();
        await _h.Booking.RequestAsync(state, [], null, default);
        await _h.Booking.RequestAsync(state, [], TimeSpan.FromMinutes(40), default);

        await _h.Worker().RunAsync(default);
        var patchesBefore = _h.Graph.Requests.Count(r => r.Method == "PATCH");
        _h.Time.Advance(OutboxWorker.WaitForEvent);
        await _h.Worker().RunAsync(default);

        Assert.Equal(0, patchesBefore);
        var patch = Assert.Single(_h.Graph.Requests, r => r.Method == "PATCH");
        Assert.Contains("40 min", patch.Json["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(await _h.Outbox.ListAsync(state.Release.Id, default), e => Assert.Equal((OutboxStatus.Sent, 1), (e.Status, e.Attempts)));
    }

    [Fact]
    public async Task EnqueueAsync_Twice_OneEntryAndOneMail()
    {
        var state = OutboxHarness.State();

        var first = await _h.Announcements.EnqueueAsync(state, AnnouncementKind.Deployment, People.Alice, fromTeamChannel: true, default);
        var second = await _h.Announcements.EnqueueAsync(state, AnnouncementKind.Deployment, People.Alice, fromTeamChannel: true, default);
        await _h.Worker().RunAsync(default);
        await _h.Worker().RunAsync(default);

        Assert.Equal(AnnouncementOutcome.Enqueued, first.Outcome);
        Assert.Equal(AnnouncementOutcome.AlreadyEnqueued, second.Outcome);
        Assert.Single(await _h.Outbox.ListAsync(state.Release.Id, default));
        var mail = Assert.Single(_h.Graph.Requests);
        Assert.Equal(("POST", "/v1.0/users/releases%40octoacme.test/sendMail"), (mail.Method, mail.Target));
        var message = mail.Json["Message"]!; // the SDK writes sendMail's parameters in PascalCase; Graph accepts them
        Assert.Equal(first.Preview.Subject, message["subject"]!.GetValue<string>());
        Assert.Equal("html", message["body"]!["contentType"]!.GetValue<string>());
        Assert.Equal(first.Preview.Html, message["body"]!["content"]!.GetValue<string>());
        Assert.Equal(OutboxHarness.Stakeholder, Assert.Single(message["toRecipients"]!.AsArray())!["emailAddress"]!["address"]!.GetValue<string>());
        Assert.True(mail.Json["SaveToSentItems"]!.GetValue<bool>());
    }

    [Fact]
    public async Task RunAsync_Throttled429_WaitsRetryAfterThenSendsOnce()
    {
        var state = OutboxHarness.State();
        _h.Graph.Then(new ScriptedAnswer("/sendMail", 429, RetryAfter: "120"));
        var queued = await _h.Announcements.EnqueueAsync(state, AnnouncementKind.Release, People.Alice, fromTeamChannel: true, default);
        var key = AnnouncementKeys.Outbox(state.Release.Id, AnnouncementKind.Release);

        var firstRun = await _h.Worker().RunAsync(default);
        var throttled = await _h.EntryAsync(state.Release.Id, key);
        _h.Time.Advance(TimeSpan.FromSeconds(119));
        await _h.Worker().RunAsync(default);
        var requestsBeforeRetryAfter = _h.Graph.Requests.Count;
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.Worker().RunAsync(default);
        await _h.Worker().RunAsync(default);

        Assert.Equal(AnnouncementOutcome.Enqueued, queued.Outcome);
        Assert.Empty(firstRun);
        Assert.Equal((OutboxStatus.Pending, 1, OutboxHarness.Now.AddSeconds(120)), (throttled.Status, throttled.Attempts, throttled.NextAttemptAt));
        Assert.Contains("429", throttled.LastError, StringComparison.Ordinal);
        Assert.Equal(1, requestsBeforeRetryAfter);
        Assert.Equal(2, _h.Graph.To("POST", "/sendMail").Count());
        Assert.Equal((OutboxStatus.Sent, 2), ((await _h.EntryAsync(state.Release.Id, key)).Status, (await _h.EntryAsync(state.Release.Id, key)).Attempts));
    }

    [Fact]
    public async Task RunAsync_ServiceUnavailable_BacksOffExponentially()
    {
        var state = OutboxHarness.State();
        _h.Graph.Then(new ScriptedAnswer("/sendMail", 503));
        _h.Graph.Then(new ScriptedAnswer("/sendMail", 503));
        await _h.Announcements.EnqueueAsync(state, AnnouncementKind.Release, People.Alice, fromTeamChannel: true, default);
        var key = AnnouncementKeys.Outbox(state.Release.Id, AnnouncementKind.Release);

        await _h.Worker().RunAsync(default);
        var afterFirst = await _h.EntryAsync(state.Release.Id, key);
        _h.Time.Advance(TimeSpan.FromSeconds(30));
        await _h.Worker().RunAsync(default);
        var afterSecond = await _h.EntryAsync(state.Release.Id, key);
        _h.Time.Advance(TimeSpan.FromSeconds(60));
        await _h.Worker().RunAsync(default);

        Assert.Equal(OutboxHarness.Now.AddSeconds(30), afterFirst.NextAttemptAt);
        Assert.Equal(OutboxHarness.Now.AddSeconds(30 + 60), afterSecond.NextAttemptAt);
        Assert.Contains("503", afterSecond.LastError, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Sent, (await _h.EntryAsync(state.Release.Id, key)).Status);
        Assert.Equal(3, _h.Graph.Requests.Count);
    }

    [Fact]
    public async Task RunAsync_GraphTimesOut_RetriesLater()
    {
        var state = OutboxHarness.State();
        _h.Options.RequestTimeout = TimeSpan.FromSeconds(1);
        _h.Graph.Then(new ScriptedAnswer("/sendMail", 202, Delay: TimeSpan.FromSeconds(5)));
        await _h.Announcements.EnqueueAsync(state, AnnouncementKind.Rollback, People.Alice, fromTeamChannel: true, default);
        var key = AnnouncementKeys.Outbox(state.Release.Id, AnnouncementKind.Rollback);

        await _h.Worker().RunAsync(default);
        var timedOut = await _h.EntryAsync(state.Release.Id, key);
        _h.Time.Advance(OutboxWorker.FirstRetryDelay);
        await _h.Worker().RunAsync(default);

        Assert.Equal(OutboxStatus.Pending, timedOut.Status);
        Assert.Contains("did not answer in time", timedOut.LastError, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Sent, (await _h.EntryAsync(state.Release.Id, key)).Status);
    }

    [Fact]
    public async Task RunAsync_FailsMaxAttemptsTimes_MarksDeadAndStopsSending()
    {
        var state = OutboxHarness.State();
        _h.Options.MaxAttempts = 3;
        for (var i = 0; i < 5; i++)
        {
            _h.Graph.Then(new ScriptedAnswer("/sendMail", 503));
        }

        await _h.Announcements.EnqueueAsync(state, AnnouncementKind.Release, People.Alice, fromTeamChannel: true, default);
        await _h.Announcements.EnqueueAsync(state, AnnouncementKind.Deployment, People.Alice, fromTeamChannel: true, default);
        _h.Graph.Then(new ScriptedAnswer("/nothing", 200));

        var completed = new List<OutboxEntry>();
        for (var run = 0; run < 6; run++)
        {
            completed.AddRange(await _h.Worker().RunAsync(default));
            _h.Time.Advance(OutboxWorker.MaxRetryDelay);
        }

        var report = await new OutboxReport(_h.Outbox).ListAsync(state.Release.Id, default);
        Assert.Equal(6, _h.Graph.To("POST", "/sendMail").Count()); // 3 for the dead one; 2 failures + 1 success for the other
        Assert.Equal([OutboxStatus.Dead, OutboxStatus.Sent], report.Select(r => r.Status).ToList());
        Assert.Equal(3, report[0].Attempts);
        Assert.StartsWith("AnnouncementMail: dead after 3 attempt(s): Gave up after 3 attempts. Last error: Graph answered 503", report[0].Text, StringComparison.Ordinal);
        Assert.Contains(completed, e => e.Status == OutboxStatus.Dead);
    }

    [Fact]
    public async Task RunAsync_PermissionDenied_DeadAfterOneAttempt()
    {
        var state = OutboxHarness.State();
        _h.Graph.Then(new ScriptedAnswer("/sendMail", 403));
        await _h.Announcements.EnqueueAsync(state, AnnouncementKind.Release, People.Alice, fromTeamChannel: true, default);

        var entry = Assert.Single(await _h.Worker().RunAsync(default));

        Assert.Equal((OutboxStatus.Dead, 1), (entry.Status, entry.Attempts));
        Assert.Contains("403 (ErrorAccessDenied)", entry.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TwoWorkersAtOnce_SendTheMailOnce()
    {
        var state = OutboxHarness.State();
        _h.Graph.Then(new ScriptedAnswer("/sendMail", 202, Delay: TimeSpan.FromMilliseconds(300)));
        await _h.Announcements.EnqueueAsync(state, AnnouncementKind.Release, People.Alice, fromTeamChannel: true, default);
        var (one, two) = (_h.Worker(), _h.Worker());

        var results = await Task.WhenAll(one.RunAsync(default), two.RunAsync(default), one.RunAsync(default), two.RunAsync(default));

        Assert.Single(_h.Graph.To("POST", "/sendMail"));
        Assert.Single(results.SelectMany(r => r));
        var entry = await _h.EntryAsync(state.Release.Id, AnnouncementKeys.Outbox(state.Release.Id, AnnouncementKind.Release));
        Assert.Equal((OutboxStatus.Sent, 1), (entry.Status, entry.Attempts));
    }

    [Fact]
    public async Task RunAsync_WorkerDiedAfterClaim_ResendsAfterLeaseWithSameTransactionId()
    {
        var state = OutboxHarness.State();
        var never = new TaskCompletionSource();
        _h.Graph.Then(new ScriptedAnswer("/events", 201, Until: never.Task));
        var requested = await _h.Booking.RequestAsync(state, [], null, default);
        using var crash = new CancellationTokenSource();

        var dying = _h.Worker().RunAsync(crash.Token);
        while (!_h.Graph.EventCreates.Any())
        {
            await Task.Delay(20);
        }

        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dying);
        var stuck = await _h.EntryAsync(state.Release.Id, requested.Key);
        var beforeLease = await _h.Worker().RunAsync(default);
        _h.Time.Advance(OutboxWorker.Lease);
        var afterLease = await _h.Worker().RunAsync(default);

        Assert.Equal(OutboxStatus.Sending, stuck.Status);
        Assert.Empty(beforeLease);
        var entry = Assert.Single(afterLease);
        Assert.Equal((OutboxStatus.Sent, 2), (entry.Status, entry.Attempts));
        Assert.Equal(2, _h.Graph.EventCreates.Count());
        Assert.Single(_h.Graph.EventCreates.Select(r => r.Json["transactionId"]!.GetValue<string>()).Distinct());
        Assert.Equal(1, _h.Graph.EventCount);
    }

    [Fact]
    public async Task RunAsync_OneEntryCorrupt_TheOtherReleasesMailIsStillSent()
    {
        var broken = OutboxHarness.State(r => r with { Id = "a-broken-" + r.Id });
        var good = OutboxHarness.State(r => r with { Id = "b-good-" + r.Id });
        await _h.Announcements.EnqueueAsync(broken, AnnouncementKind.Deployment, People.Alice, fromTeamChannel: true, default);
        await _h.Announcements.EnqueueAsync(good, AnnouncementKind.Deployment, People.Alice, fromTeamChannel: true, default);
        var row = (await _h.Outbox.GetRowAsync(broken.Release.Id, AnnouncementKeys.Outbox(broken.Release.Id, AnnouncementKind.Deployment), default))!;
        row.Payload = "{\"subject\": trunc";
        await _h.Tables.Outbox.UpdateEntityAsync(row, Azure.ETag.All);

        var completed = await _h.Worker().RunAsync(default);

        var sent = Assert.Single(completed);
        Assert.Equal((good.Release.Id, OutboxStatus.Sent), (sent.ReleaseId, sent.Status));
        Assert.Single(_h.Graph.Requests);
        Assert.Equal(OutboxStatus.Sending, (await _h.EntryAsync(broken.Release.Id, row.Key)).Status);
    }

    [Fact]
    public async Task RunAsync_BothGraphCallsTakeAlmostTheTimeout_NoSecondWorkerTakesTheEntryOverMeanwhile()
    {
        _h.Options.RequestTimeout = TimeSpan.FromMinutes(5);
        var state = OutboxHarness.State();
        await _h.Booking.RequestAsync(state, [], null, default);
        IReadOnlyList<OutboxEntry>? secondRun = null;
        var other = new SlowGraph(_h.Time, TimeSpan.Zero, null);
        var slow = new SlowGraph(_h.Time, TimeSpan.FromMinutes(4.9), async () => secondRun = await _h.Worker(other).RunAsync(default));

        var first = await _h.Worker(slow).RunAsync(default);

        Assert.Equal(OutboxStatus.Sent, Assert.Single(first).Status);
        Assert.Empty(secondRun!);
        Assert.Equal((1, 0), (slow.Creates, other.Creates));
        Assert.True(OutboxWorker.LeaseFor(_h.Options) >= 2 * _h.Options.RequestTimeout, $"lease {OutboxWorker.LeaseFor(_h.Options)}");
    }

    /// <summary>Graph that takes <c>delay</c> (on the fake clock) per call; during the first event creation another worker runs.</summary>
    private sealed class SlowGraph(Microsoft.Extensions.Time.Testing.FakeTimeProvider time, TimeSpan delay, Func<Task>? duringCreate) : IGraphGateway
    {
        public int Creates;

        public async Task<GraphWriteResult> CreateEventAsync(string organizer, EventDraft draft, CancellationToken cancellationToken)
        {
            time.Advance(delay);
            Creates++;
            if (duringCreate is not null)
            {
                await duringCreate();
            }

            return new GraphWriteResult("evt-1", "https://teams.microsoft.com/l/meetup-join/evt-1", null, []);
        }

        public Task<GraphWriteResult> UpdateEventBodyAsync(string organizer, string eventId, string bodyHtml, CancellationToken cancellationToken) =>
            Task.FromResult(new GraphWriteResult(eventId, null, null, []));

        public Task<DateTimeOffset?> FindMeetingTimeAsync(string organizer, IReadOnlyList<Invitee> attendees, DateTimeOffset windowStart, DateTimeOffset windowEnd, TimeSpan duration, CancellationToken cancellationToken)
        {
            time.Advance(delay);
            return Task.FromResult<DateTimeOffset?>(null);
        }

        public Task<GraphWriteResult> SendMailAsync(string sender, MailDraft mail, CancellationToken cancellationToken) =>
            Task.FromResult(new GraphWriteResult(null, null, null, []));

        public Task<PersonLookup> ResolvePersonAsync(string emailOrUpn, CancellationToken cancellationToken) =>
            Task.FromResult<PersonLookup>(new UnknownAddress(emailOrUpn, "not in this test"));
    }

    [Fact]
    public async Task RunAsync_RecordingMode_StoresTheRequestsAndSendsNothing()
    {
        var state = OutboxHarness.State();
        var recording = new RecordingGraphGateway(new GraphOptions { SenderMailbox = OutboxHarness.Mailbox, OrganizerMailbox = OutboxHarness.Mailbox }, _h.Time);
        await _h.Announcements.EnqueueAsync(state, AnnouncementKind.Deployment, People.Alice, fromTeamChannel: true, default);
        var requested = await _h.Booking.RequestAsync(state, [], null, default);

        var completed = await _h.Worker(recording).RunAsync(default);

        Assert.Empty(_h.Graph.Requests);
        Assert.Equal(2, completed.Count);
        Assert.All(completed, e => Assert.Equal(OutboxStatus.Recorded, e.Status));
        var mail = Assert.Single((await _h.EntryAsync(state.Release.Id, AnnouncementKeys.Outbox(state.Release.Id, AnnouncementKind.Deployment))).Recording);
        Assert.Equal(("POST", "https://graph.microsoft.com/v1.0/users/releases%40octoacme.test/sendMail"), (mail.Method, mail.Url));
        Assert.DoesNotContain(mail.Headers.Keys, k => k.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(OutboxHarness.Stakeholder, JsonNode.Parse(mail.Body!)!["Message"]!["toRecipients"]![0]!["emailAddress"]!["address"]!.GetValue<string>());
        var retro = await _h.EntryAsync(state.Release.Id, requested.Key);
        var create = Assert.Single(retro.Recording);
        Assert.Equal(OutboxKeys.TransactionId(requested.Key).ToString(), JsonNode.Parse(create.Body!)!["transactionId"]!.GetValue<string>());
        Assert.True(retro.Result!.Recorded);
        Assert.StartsWith("recorded-", retro.Result.EventId, StringComparison.Ordinal);
        Assert.StartsWith("https://teams.microsoft.com/l/meetup-join/recorded-", retro.Result.JoinUrl, StringComparison.Ordinal);
    }
}
