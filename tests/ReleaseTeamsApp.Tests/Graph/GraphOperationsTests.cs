using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReleaseTeamsApp.Hosting;
using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Retrospective;
using ReleaseTeamsApp.Tests.Testing;

namespace ReleaseTeamsApp.Tests.Graph;

public sealed class GraphOperationsTests
{
    private readonly FakeTimeProvider _time = new(OutboxHarness.Now);

    [Fact]
    public async Task ResolveAsync_KnownUpn_ReturnsDirectoryUser()
    {
        await using var graph = await FakeGraph.StartAsync();
        graph.Users["jane.doe@octoacme.test"] = ("11111111-2222-3333-4444-555555555555", "Jane Doe");
        var people = new PeopleDirectory(graph.Gateway(new GraphOptions(), _time));

        var found = await people.ResolveAsync(" jane.doe@octoacme.test ", default);

        Assert.Equal(new ResolvedPerson("11111111-2222-3333-4444-555555555555", "Jane Doe", "jane.doe@octoacme.test"), found);
        var request = Assert.Single(graph.Requests);
        Assert.Equal("/v1.0/users/jane.doe@octoacme.test?$select=id,displayName,mail,userPrincipalName", Uri.UnescapeDataString(request.Target));
    }

    [Fact]
    public async Task ResolveAsync_UnknownAddress_SaysSoInsteadOfThrowing()
    {
        await using var graph = await FakeGraph.StartAsync();
        var people = new PeopleDirectory(graph.Gateway(new GraphOptions(), _time));

        var result = await people.ResolveAsync("nobody@octoacme.test", default);

        var unknown = Assert.IsType<UnknownAddress>(result);
        Assert.Contains("Nobody in your organization has the address nobody@octoacme.test", unknown.Message, StringComparison.Ordinal);
        Assert.Contains(graph.Requests, r => r.Target.StartsWith("/v1.0/users?", StringComparison.Ordinal) && Uri.UnescapeDataString(r.Target).Contains("mail eq 'nobody@octoacme.test'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResolveAsync_NotAnAddress_AnswersWithoutCallingGraph()
    {
        await using var graph = await FakeGraph.StartAsync();
        var people = new PeopleDirectory(graph.Gateway(new GraphOptions(), _time));

        var result = await people.ResolveAsync("jane doe", default);

        Assert.Contains("is not an email address", Assert.IsType<UnknownAddress>(result).Message, StringComparison.Ordinal);
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task ResolveAsync_RecordingMode_DeterministicFakePerson()
    {
        var people = new PeopleDirectory(new RecordingGraphGateway(new GraphOptions(), _time));

        var first = await people.ResolveAsync("jane.doe@octoacme.test", default);
        var again = await people.ResolveAsync("jane.doe@octoacme.test", default);

        var person = Assert.IsType<ResolvedPerson>(first);
        Assert.Equal(first, again);
        Assert.Equal(("Jane Doe", "jane.doe@octoacme.test"), (person.DisplayName, person.Mail));
    }

    [Fact]
    public void Preview_Deployment_ReadableMailWithVersionWindowScopeAndStatus()
    {
        var state = OutboxHarness.State();

        var preview = StakeholderAnnouncements.Preview(state, AnnouncementKind.Deployment, People.Alice);

        Assert.Equal("Deployment of 2.4.0 on Tuesday 16 June 2026, 10:00–12:00 (Europe/Berlin)", preview.Subject);
        Assert.Equal([OutboxHarness.Stakeholder], preview.Recipients);
        Assert.Contains("Checkout redesign &amp; faster search", preview.Html, StringComparison.Ordinal);
        Assert.Contains("Planned — 0 of", preview.Html, StringComparison.Ordinal);
        Assert.Contains("Sent by Alice Release-Manager", preview.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Agenda_FromReleaseAndAudit_ListsLateSkippedBlockersRollbacksAndDuration()
    {
        var basic = OutboxHarness.State();
        var late = basic.Items[0] with { Status = ItemStatus.Done, CompletedAt = basic.Items[0].DueAt!.Value.AddHours(26) };
        var skipped = basic.Items.First(i => !i.Required) with { Status = ItemStatus.NotApplicable, CompletedAt = OutboxHarness.Now };
        var state = OutboxHarness.State(items: [late, skipped, .. basic.Items.Where(i => i.Id != late.Id && i.Id != skipped.Id)]);
        var audit = new[]
        {
            new AuditEvent(state.Release.Id, OutboxHarness.Now, People.Bob, AuditActions.ItemBlocked, late.Id, "Open", "Blocked", "Staging <DB> is down"),
            new AuditEvent(state.Release.Id, OutboxHarness.Now.AddHours(1), People.Alice, "rollback.triggered", Note: "Error rate 5%"),
        };

        var html = RetrospectiveAgenda.Html(state, audit, TimeSpan.FromMinutes(95));

        Assert.Contains($"{System.Net.WebUtility.HtmlEncode(late.Text)}", html, StringComparison.Ordinal);
        Assert.Contains("late by 1 d 2 h", html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(skipped.Text), html, StringComparison.Ordinal);
        Assert.Contains("Staging &lt;DB&gt; is down", html, StringComparison.Ordinal);
        Assert.Contains("rollback.triggered by Alice Release-Manager", html, StringComparison.Ordinal);
        Assert.Contains("<b>Deployment duration:</b> 1 h 35 min", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Attendees_RoleHolderWithoutEmail_SkippedWithANote()
    {
        var nomail = new Person("29:zed", "Zed NoMail");
        var state = OutboxHarness.State(r => r with { Roles = r.Roles.Add(ReleaseTeamsApp.Releases.ReleaseRole.EngineeringLead, nomail), Stakeholders = [OutboxHarness.Stakeholder, "ALICE@octoacme.test"] });

        var (attendees, notes) = RetrospectiveBooking.Attendees(state.Release, new GraphOptions { SenderMailbox = OutboxHarness.Mailbox });

        Assert.DoesNotContain(attendees, a => a.Name == "Zed NoMail");
        Assert.Single(attendees, a => a.Email.Equals("alice@octoacme.test", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Zed NoMail has no known email address", Assert.Single(notes), StringComparison.Ordinal);
    }

    [Fact]
    public void Slot_ReleaseOnThursday_DefaultIsMondayAtDefaultTimeInReleaseZone()
    {
        var state = OutboxHarness.State(r => r with { ReleaseDate = new DateOnly(2026, 6, 18), TimeZoneId = "America/New_York" });

        var (start, end, fallback) = RetrospectiveBooking.Slot(state.Release, new TimeOnly(14, 0));

        Assert.Equal(new DateTimeOffset(2026, 6, 22, 13, 0, 0, TimeSpan.Zero), start); // Mon 09:00 EDT
        Assert.Equal(new DateTimeOffset(2026, 6, 25, 21, 0, 0, TimeSpan.Zero), end);   // Thu 17:00 EDT
        Assert.Equal(new DateTimeOffset(2026, 6, 22, 18, 0, 0, TimeSpan.Zero), fallback);
    }

    [Fact]
    public void TransactionId_SameKey_SameGuid()
    {
        Assert.Equal(OutboxKeys.TransactionId("retro|r1"), OutboxKeys.TransactionId("retro|r1"));
        Assert.NotEqual(OutboxKeys.TransactionId("retro|r1"), OutboxKeys.TransactionId("retro|r2"));
    }

    [Fact]
    public void AddGraphOutbox_LiveWithoutMailboxes_ValidationNamesTheSettings()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Graph:Mode"] = "Live", ["Graph:RetrospectiveDefaultTime"] = "2pm" }).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddGraphOutbox(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GraphOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("Graph:SenderMailbox", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Graph:OrganizerMailbox", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Graph:RetrospectiveDefaultTime", StringComparison.Ordinal));
    }

    [Fact]
    public void AddGraphOutbox_NoGraphSettings_RecordsInsteadOfSending()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddGraphOutbox(configuration).BuildServiceProvider();

        Assert.IsType<RecordingGraphGateway>(provider.GetRequiredService<IGraphGateway>());
    }
}
