using System.Net;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Bot;

[Collection("Azurite")]
public sealed class BotPipelineTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private BotPipeline _bot = null!;

    public async Task InitializeAsync() => _bot = await BotPipeline.StartAsync(azurite);

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task NewRelease_SignedMessageInChannel_PostsThreadWithSummaryAndOneCardPerScheduledPhase()
    {
        await _bot.SayAsync("new release 2.4.0 on 2026-12-10 window 10:00-12:00 tz Europe/Berlin", TestUser.Alice);

        var requests = _bot.ConnectorRequests;
        Assert.Equal(4, requests.Count);
        Assert.All(requests, r => Assert.Equal($"Bearer {BotPipeline.OutboundToken}", r.Authorization));
        var create = requests[0];
        Assert.Equal("POST", create.Method);
        Assert.Equal("/v3/conversations", create.RawTarget);
        var parameters = JsonNode.Parse(create.Body)!;
        Assert.True(parameters["isGroup"]!.GetValue<bool>());
        Assert.Equal(BotPipeline.ChannelId, parameters["channelData"]!["channel"]!["id"]!.GetValue<string>());
        Assert.Equal(BotPipeline.TenantId, parameters["tenantId"]!.GetValue<string>());
        Assert.Equal("Release 2.4.0", BotPipeline.CardOf(create)["body"]![0]!["text"]!.GetValue<string>());
        var thread = $"{BotPipeline.ChannelId};messageid=101";
        var phaseTitles = requests.Skip(1).Select(r =>
        {
            Assert.Equal("POST", r.Method);
            Assert.Equal($"/v3/conversations/{Uri.EscapeDataString(thread)}/activities", r.RawTarget);
            return BotPipeline.CardOf(r)["body"]![0]!["text"]!.GetValue<string>();
        }).ToList();
        Assert.Equal(["2.4.0 · Pre-Release Coordination (1-2 weeks before)", "2.4.0 · Release Day Coordination", "2.4.0 · Post-Release Activities (within 1 week)"], phaseTitles);
    }

    [Fact]
    public async Task NewRelease_Created_IsStoredWithItsThreadAndEveryTemplateItem()
    {
        await _bot.SayAsync("new release 3.0.0 on 2026-12-10 tz Europe/Berlin", TestUser.Alice);

        var id = await _bot.Store.FindIdAsync(new ChannelKey(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId), "3.0.0", CancellationToken.None);
        var state = await _bot.Store.GetAsync(id!, CancellationToken.None);
        Assert.NotNull(state);
        Assert.Equal(45, state.Items.Count);
        Assert.Equal("101", state.Release.Thread!.RootActivityId);
        Assert.Equal(["post-release", "pre-release", "release-day"], state.Release.Thread.PhaseCardActivityIds.Keys.Order(StringComparer.Ordinal));
        Assert.True(state.Release.Roles.Holds(new Person(TestUser.Alice.Id, TestUser.Alice.Name), ReleaseRole.ReleaseManager));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero), state.Item("planning-date-window")!.DueAt);
    }

    [Fact]
    public async Task PostedCards_EveryOne_IsValidAdaptiveCardWithinSizeBudget()
    {
        await _bot.SayAsync("new release 2.5.0 on 2026-12-10", TestUser.Alice);

        foreach (var request in _bot.ConnectorRequests)
        {
            AdaptiveCardSchema.AssertValid(BotPipeline.CardOf(request), $"card posted to {request.RawTarget}");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer not-a-jwt")]
    public async Task Messages_WithoutValidBotFrameworkToken_Returns401AndDoesNothing(string? authorization)
    {
        var activity = _bot.Activity(TestUser.Alice, "message");
        activity["text"] = "new release 9.9.9 on 2026-12-10";

        using var response = await _bot.SendAsync(activity, authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Empty(_bot.ConnectorRequests);
        Assert.Null(await _bot.Store.FindIdAsync(new ChannelKey(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId), "9.9.9", CancellationToken.None));
    }

    [Fact]
    public async Task Messages_TokenForAnotherServiceUrl_Returns401()
    {
        var activity = _bot.Activity(TestUser.Alice, "message");
        activity["text"] = "help";
        var token = FakeBotFrameworkIdentity.CreateToken(_bot.Key, BotPipeline.Kid, _bot.Clock.GetUtcNow(), serviceUrl: "https://evil.example/");

        using var response = await _bot.SendAsync(activity, $"Bearer {token}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_bot.ConnectorRequests);
    }

    public static TheoryData<string> ForgedTokens => ["bad-signature", "expired", "wrong-issuer", "wrong-audience", "unknown-kid", "not-endorsed-for-msteams", "hs256"];

    [Theory]
    [MemberData(nameof(ForgedTokens))]
    public async Task Messages_TokenThatFailsValidation_Returns401AndNothingIsStoredOrSent(string forgery)
    {
        var now = _bot.Clock.GetUtcNow();
        var token = forgery switch
        {
            "bad-signature" => FakeBotFrameworkIdentity.CreateToken(System.Security.Cryptography.RSA.Create(2048), BotPipeline.Kid, now, serviceUrl: _bot.ServiceUrl),
            "expired" => FakeBotFrameworkIdentity.CreateToken(_bot.Key, BotPipeline.Kid, now - TimeSpan.FromHours(2), serviceUrl: _bot.ServiceUrl, lifetime: TimeSpan.FromMinutes(30)),
            "wrong-issuer" => FakeBotFrameworkIdentity.CreateToken(_bot.Key, BotPipeline.Kid, now, issuer: "https://login.example.com", serviceUrl: _bot.ServiceUrl),
            "wrong-audience" => FakeBotFrameworkIdentity.CreateToken(_bot.Key, BotPipeline.Kid, now, audience: "some-other-bot", serviceUrl: _bot.ServiceUrl),
            "unknown-kid" => FakeBotFrameworkIdentity.CreateToken(System.Security.Cryptography.RSA.Create(2048), "never-published", now, serviceUrl: _bot.ServiceUrl),
            "not-endorsed-for-msteams" => FakeBotFrameworkIdentity.CreateToken(_bot.Identity.PublishKey("skype-only", "skype"), "skype-only", now, serviceUrl: _bot.ServiceUrl),
            _ => FakeBotFrameworkIdentity.CreateSymmetricToken(BotPipeline.Kid, now),
        };
        var activity = _bot.Activity(TestUser.Alice, "message");
        activity["text"] = "new release 8.8.8 on 2026-12-10";

        using var response = await _bot.SendAsync(activity, $"Bearer {token}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Empty(_bot.ConnectorRequests);
        Assert.Null(await _bot.Store.FindIdAsync(new ChannelKey(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId), "8.8.8", CancellationToken.None));
    }

    [Fact]
    public async Task Messages_MalformedJson_Returns400WithReadableError()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent("{\"type\": \"message\", ", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _bot.Token());

        using var response = await _bot.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a Bot Framework activity", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("new release 2.4.0 on tomorrow", "is not a date")]
    [InlineData("new release 2.4.0", "needs a version and a date")]
    [InlineData("new release 2.4.0 on 2026-12-10 tz Mars/Olympus", "is not a time zone")]
    [InlineData("launch the rockets", "don't know the command")]
    [InlineData("assign astronaut", "is not a role")]
    public async Task Command_Unparseable_RepliesWithTheProblemAndTheCorrectForm(string text, string problem)
    {
        await _bot.SayAsync(text, TestUser.Alice);

        var reply = Assert.Single(_bot.ConnectorRequests);
        Assert.Equal("POST", reply.Method);
        Assert.Contains(problem, JsonNode.Parse(reply.Body)!["text"]!.GetValue<string>());
        Assert.Contains("Try:", JsonNode.Parse(reply.Body)!["text"]!.GetValue<string>());
        Assert.Empty(await _bot.Store.ListAsync(BotPipeline.TenantId, BotPipeline.TeamId, CancellationToken.None));
    }

    [Fact]
    public async Task NewRelease_SameVersionTwice_SecondIsRefusedAndNothingMoreIsPosted()
    {
        await _bot.SayAsync("new release 4.0.0 on 2026-12-10", TestUser.Alice);
        _bot.ClearConnector();

        await _bot.SayAsync("new release 4.0.0 on 2026-12-11", TestUser.Bob);

        var reply = Assert.Single(_bot.ConnectorRequests);
        Assert.Contains("already exists", JsonNode.Parse(reply.Body)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Installation_BotAddedToTeam_RemembersTheChannelAndPostsWelcome()
    {
        var activity = _bot.Activity(TestUser.Alice, "installationUpdate");
        activity["action"] = "add";

        using var response = await _bot.SendAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var welcome = Assert.Single(_bot.ConnectorRequests);
        Assert.Contains("Release Coordinator is here", welcome.Body);
        var registry = (ReleaseTeamsApp.Teams.ChannelRegistry)_bot.Host.Services.GetService(typeof(ReleaseTeamsApp.Teams.ChannelRegistry))!;
        var remembered = await registry.FindAsync(BotPipeline.TenantId, BotPipeline.ChannelId, CancellationToken.None);
        Assert.Equal(_bot.ServiceUrl, remembered!.ServiceUrl);
        Assert.Equal(BotPipeline.TeamId, remembered.TeamId);
    }

    [Fact]
    public async Task Assign_MentionedTeamMember_StoresTheirEmailFromTheTeamRoster()
    {
        await _bot.SayAsync("new release 5.0.0 on 2026-12-10", TestUser.Alice);
        _bot.ClearConnector();

        await _bot.SayAsync("assign qa", TestUser.Alice, TestUser.Bob);

        var lookup = Assert.Single(_bot.RosterLookups);
        Assert.Equal($"/v3/conversations/{Uri.EscapeDataString(BotPipeline.TeamId)}/members/{Uri.EscapeDataString(TestUser.Bob.Id)}", lookup.RawTarget);
        var id = await _bot.Store.FindIdAsync(new ChannelKey(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId), "5.0.0", CancellationToken.None);
        var holder = Assert.Single((await _bot.Store.GetAsync(id!, CancellationToken.None))!.Release.Roles[ReleaseRole.QaAutomationEngineer]);
        Assert.Equal(("bob@contoso.example", TestUser.Bob.AadObjectId), (holder.Email, holder.AadObjectId));
    }

    [Fact]
    public async Task Assign_MemberTheRosterDoesNotKnow_IsStillAssignedWithoutEmail()
    {
        await _bot.SayAsync("new release 5.1.0 on 2026-12-10", TestUser.Alice);

        await _bot.SayAsync("assign qa", TestUser.Alice, TestUser.Mallory);

        var id = await _bot.Store.FindIdAsync(new ChannelKey(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId), "5.1.0", CancellationToken.None);
        var holder = Assert.Single((await _bot.Store.GetAsync(id!, CancellationToken.None))!.Release.Roles[ReleaseRole.QaAutomationEngineer]);
        Assert.Equal((TestUser.Mallory.Id, (string?)null), (holder.Id, holder.Email));
    }
}
