using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;
using ReleaseTeamsApp.LocalHost;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Bot;

/// <summary>
/// The real HTTP pipeline of the bot: the local host (same function classes as in Azure) with Bot Framework
/// authentication against a fake OpenID/JWKS endpoint, Table Storage in Azurite, and a fake Teams connector on
/// Kestrel that records every request the bot makes.
/// </summary>
internal sealed class BotPipeline : IAsyncDisposable
{
    public const string TenantId = "72f988bf-0000-4000-8000-000000000001";
    public const string TeamId = "19:team-general@thread.tacv2";
    public const string ChannelId = "19:releases@thread.tacv2";
    public const string OutboundToken = "outbound-connector-token";
    public const string Kid = "test-key-1";

    private int _nextActivityId = 100;

    private BotPipeline(FakeBotFrameworkIdentity identity, RSA key, FakeHttpServer connector, WebApplication host, SimulatedClock clock, IReleaseStore store)
    {
        Identity = identity;
        Key = key;
        Connector = connector;
        Host = host;
        Clock = clock;
        Store = store;
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public FakeBotFrameworkIdentity Identity { get; }

    public RSA Key { get; }

    public FakeHttpServer Connector { get; }

    public WebApplication Host { get; }

    public SimulatedClock Clock { get; }

    public IReleaseStore Store { get; }

    public HttpClient Client { get; }

    /// <summary>The table (and queue) prefix of this pipeline's storage.</summary>
    public string Prefix { get; private init; } = "";

    /// <summary>The connector's base URL as Teams would send it in activity.serviceUrl (and the token's serviceurl claim).</summary>
    public string ServiceUrl => Connector.BaseAddress.ToString();

    /// <param name="prefix">Storage tables and queues to use (another pipeline's, to continue after it stopped); a new one when null.</param>
    /// <param name="services">Replaces services of the host, e.g. the Graph gateway with one pointed at a local fake Graph.</param>
    public static async Task<BotPipeline> StartAsync(AzuriteFixture azurite, DateTimeOffset? now = null, IDictionary<string, string?>? settings = null, string? prefix = null, Action<IServiceCollection>? services = null)
    {
        var identity = await FakeBotFrameworkIdentity.StartAsync();
        var key = identity.PublishKey(Kid, "msteams");
        var connector = await FakeHttpServer.StartAsync();
        var pipeline = (BotPipeline?)null;
        connector.Handler = (context, request) => pipeline!.AnswerConnectorAsync(context, request);

        prefix ??= azurite.NewTablePrefix();
        var host = LocalHostApplication.Build([], builder =>
        {
            var values = new Dictionary<string, string?>
            {
                ["LocalHost:Urls"] = "http://127.0.0.1:0",
                ["Storage:ConnectionString"] = azurite.ConnectionString,
                ["Storage:TablePrefix"] = prefix,
                ["MicrosoftAppId"] = FakeBotFrameworkIdentity.AppId,
                ["MicrosoftAppType"] = "MultiTenant",
                ["MicrosoftAppPassword"] = "not-used-outbound-is-faked",
                ["Bot:OpenIdMetadataUrl"] = identity.MetadataUrl,
                ["Bot:Connector:BaseRetryDelay"] = "00:00:00.010",
                ["Bot:Connector:AllowedServiceHosts"] = "127.0.0.1",
                ["Reminders:Schedule"] = "0 0 0 1 1 *",
                ["FollowUps:Schedule"] = "0 0 0 1 1 *",
                ["Outbox:Schedule"] = "0 0 0 1 1 *",
                ["Graph:Mode"] = "Recording",
                ["Graph:SenderMailbox"] = "releases@contoso.example",
                ["Graph:OrganizerMailbox"] = "releases@contoso.example",
                // The tenant's domains plus one partner domain the tests mail on purpose.
                ["Graph:AllowedRecipientDomains"] = "contoso.com, contoso.example, fabrikam.example",
                ["LocalHost:ClockStart"] = (now ?? new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero)).ToString("O", CultureInfo.InvariantCulture),
            };
            foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
            {
                values[name] = value;
            }

            builder.Configuration.AddInMemoryCollection(values);
            builder.Services.AddSingleton<IBotTokenProvider>(new StaticTokenProvider(OutboundToken));
            services?.Invoke(builder.Services);
        });
        await host.StartAsync();
        pipeline = new BotPipeline(identity, key, connector, host, host.Services.GetRequiredService<SimulatedClock>(), azurite.CreateStore(prefix)) { Prefix = prefix };
        return pipeline;
    }

    /// <summary>The team roster the fake connector answers member lookups from (Teams profiles with email).</summary>
    public Dictionary<string, (string Name, string AadObjectId, string Email)> MemberProfiles { get; } = new()
    {
        [TestUser.Alice.Id] = (TestUser.Alice.Name, TestUser.Alice.AadObjectId, "alice@contoso.example"),
        [TestUser.Bob.Id] = (TestUser.Bob.Name, TestUser.Bob.AadObjectId, "bob@contoso.example"),
        [TestUser.Carol.Id] = (TestUser.Carol.Name, TestUser.Carol.AadObjectId, "carol@contoso.example"),
    };

    /// <summary>What the bot sent to Teams (posts, replies, updates, deletes); roster reads are in <see cref="RosterLookups"/>.</summary>
    public IReadOnlyList<RecordedRequest> ConnectorRequests => Connector.Requests.Where(r => r.Method != "GET").ToArray();

    public IReadOnlyList<RecordedRequest> RosterLookups => Connector.Requests.Where(r => r.Method == "GET").ToArray();

    public void ClearConnector() => Connector.Requests.Clear();

    /// <summary>A channel token issued at <paramref name="at"/> (default: now in real time; tokens never follow the simulated clock).</summary>
    public string Token(DateTimeOffset? at = null) =>
        FakeBotFrameworkIdentity.CreateToken(Key, Kid, at ?? DateTimeOffset.UtcNow, serviceUrl: ServiceUrl);

    /// <summary>Runs a timer function now, as the Functions host's admin API would (the local host offers it only in anonymous mode).</summary>
    public Task<bool> RunTimerAsync(string name) => Host.Services.GetRequiredService<TimerScheduler>().RunNowAsync(name, CancellationToken.None);

    /// <summary>
    /// Posts an activity to /api/messages, signed like the Bot Connector service signs it (or with <paramref name="authorization"/>).
    /// Then, unless <paramref name="drainQueues"/> is false, waits for the queue-triggered work the turn left (card updates
    /// for everyone), so what Teams shows afterwards is in <see cref="ConnectorRequests"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(JsonObject activity, string? authorization = "signed", bool drainQueues = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (authorization == "signed")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        }
        else if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await Client.SendAsync(request);
        if (drainQueues)
        {
            await DrainQueuesAsync();
        }

        return response;
    }

    /// <summary>Runs the queue triggers until their queues are empty (what the Functions host does in the background).</summary>
    public Task<int> DrainQueuesAsync() => Host.Services.GetRequiredService<QueueListener>().DrainAsync(CancellationToken.None);

    /// <summary>Evaluates queued signal events and answers open deployment gates until the inbox is empty (the host's own timer may be draining at the same time; leases keep it to one).</summary>
    public async Task DrainSignalsAsync()
    {
        var inbox = Host.Services.GetRequiredService<ReleaseTeamsApp.Signals.SignalInbox>();
        var evaluator = Host.Services.GetRequiredService<ReleaseTeamsApp.Signals.SignalEvaluator>();
        var gate = Host.Services.GetRequiredService<ReleaseTeamsApp.Signals.DeploymentGate>();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await evaluator.DrainAsync(CancellationToken.None);
            await gate.AnswerOpenAsync(CancellationToken.None);
            if (await inbox.CountPendingAsync(CancellationToken.None) == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        Xunit.Assert.Fail("The signal inbox did not drain.");
    }

    /// <summary>Before answering a card update (PUT), the fake connector awaits this (slow or failing Teams).</summary>
    public Func<HttpContext, Task<bool>>? OnPut { get; set; }

    /// <summary>The channel the pipeline's activities come from (unless a test names another).</summary>
    public static ReleaseTeamsApp.Releases.ChannelKey Channel { get; } = new(TenantId, TeamId, ChannelId);

    /// <summary>
    /// The start most release tests share: Alice says <paramref name="newRelease"/> ("new release 2.4.0 on …") and assigns each
    /// role to its person ("assign qa" mentioning Bob); returns the new release's id, found by its version in the channel.
    /// </summary>
    public async Task<string> CreateReleaseAsync(string newRelease, params (string Role, TestUser Person)[] roles)
    {
        await SayAsync(newRelease, TestUser.Alice);
        foreach (var (role, person) in roles)
        {
            await SayAsync($"assign {role}", TestUser.Alice, person);
        }

        var version = newRelease.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        return await Store.FindIdAsync(Channel, version, CancellationToken.None)
            ?? throw new InvalidOperationException($"\"{newRelease}\" created no release {version}; the bot's last request: {(ConnectorRequests is [.., var last] ? last.Body : "none")}");
    }

    public async Task<JsonObject> SayAsync(string text, TestUser from, params TestUser[] mentions)
    {
        var activity = Activity(from, "message");
        activity["text"] = $"<at>ReleaseBot</at> {text}" + string.Concat(mentions.Select(m => $" <at>{m.Name}</at>"));
        var entities = new JsonArray(Mention("28:" + FakeBotFrameworkIdentity.AppId, "ReleaseBot"));
        foreach (var mention in mentions)
        {
            entities.Add(Mention(mention.Id, mention.Name));
        }

        activity["entities"] = entities;
        using var response = await SendAsync(activity);
        Assert.Equal(200, (int)response.StatusCode);
        return activity;
    }

    /// <summary>Clicks an Action.Execute button on a card (an adaptiveCard/action invoke) and returns the invoke response body.</summary>
    public async Task<JsonObject> ClickAsync(string verb, JsonObject data, TestUser from, string? activityId = null, bool drainQueues = true)
    {
        var activity = Activity(from, "invoke");
        if (activityId is not null)
        {
            activity["id"] = activityId;
        }

        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data }, ["trigger"] = "manual" };
        using var response = await SendAsync(activity, drainQueues: drainQueues);
        Assert.Equal(200, (int)response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Clicks a button as if the card were in another tenant/team/channel (the release id in the data is not signed by Teams).</summary>
    public async Task<JsonObject> ClickInAsync(ReleaseTeamsApp.Releases.ChannelKey where, string verb, JsonObject data, TestUser from)
    {
        var activity = Activity(from, "invoke");
        activity["conversation"] = new JsonObject { ["id"] = where.ChannelId, ["conversationType"] = "channel", ["tenantId"] = where.TenantId, ["isGroup"] = true };
        activity["channelData"] = new JsonObject
        {
            ["tenant"] = new JsonObject { ["id"] = where.TenantId },
            ["team"] = new JsonObject { ["id"] = where.TeamId, ["name"] = "Elsewhere" },
            ["channel"] = new JsonObject { ["id"] = where.ChannelId, ["name"] = "General" },
        };
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data }, ["trigger"] = "manual" };
        using var response = await SendAsync(activity);
        Assert.Equal(200, (int)response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>An activity from a group chat or, with <paramref name="conversationType"/> "personal", the bot's personal chat (no team, no channel): conversation.id is the chat.</summary>
    public JsonObject ChatActivity(TestUser from, string type, string chatId, string conversationType = "groupChat")
    {
        var activity = Activity(from, type);
        activity["conversation"] = new JsonObject { ["id"] = chatId, ["conversationType"] = conversationType, ["tenantId"] = TenantId, ["isGroup"] = conversationType != "personal" };
        activity["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } };
        return activity;
    }

    public JsonObject Activity(TestUser from, string type) => new()
    {
        ["type"] = type,
        ["id"] = "act-" + Guid.NewGuid().ToString("N"),
        ["timestamp"] = DateTimeOffset.UtcNow,
        ["channelId"] = "msteams",
        ["serviceUrl"] = ServiceUrl,
        ["from"] = new JsonObject { ["id"] = from.Id, ["name"] = from.Name, ["aadObjectId"] = from.AadObjectId },
        ["recipient"] = new JsonObject { ["id"] = "28:" + FakeBotFrameworkIdentity.AppId, ["name"] = "ReleaseBot" },
        ["conversation"] = new JsonObject { ["id"] = ChannelId, ["conversationType"] = "channel", ["tenantId"] = TenantId, ["isGroup"] = true },
        ["channelData"] = new JsonObject
        {
            ["tenant"] = new JsonObject { ["id"] = TenantId },
            ["team"] = new JsonObject { ["id"] = TeamId, ["name"] = "Contoso" },
            ["channel"] = new JsonObject { ["id"] = ChannelId, ["name"] = "Releases" },
        },
    };

    public static JsonObject CardOf(RecordedRequest request)
    {
        var body = JsonNode.Parse(request.Body)!.AsObject();
        var activity = body["activity"]?.AsObject() ?? body;
        return activity["attachments"]![0]!["content"]!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.StopAsync();
        await Host.DisposeAsync();
        await Connector.DisposeAsync();
        await Identity.DisposeAsync();
    }

    private static JsonObject Mention(string id, string name) =>
        new() { ["type"] = "mention", ["text"] = $"<at>{name}</at>", ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = name } };

    private async Task AnswerConnectorAsync(HttpContext context, RecordedRequest request)
    {
        if (request.Method == "PUT" && OnPut is { } onPut && !await onPut(context))
        {
            // The hook answered (e.g. 503): Teams did not take the update.
            return;
        }

        await AnswerAsync(context, request);
    }

    private Task AnswerAsync(HttpContext context, RecordedRequest request)
    {
        if (request.Method == "GET" && request.RawTarget.Contains("/members/", StringComparison.Ordinal))
        {
            return AnswerMemberAsync(context, request);
        }

        var id = Interlocked.Increment(ref _nextActivityId).ToString(CultureInfo.InvariantCulture);
        if (request.Method == "POST" && request.RawTarget.TrimEnd('/').EndsWith("/v3/conversations", StringComparison.Ordinal))
        {
            var channel = JsonNode.Parse(request.Body)?["channelData"]?["channel"]?["id"]?.GetValue<string>() ?? ChannelId;
            return FakeHttpServer.WriteJsonAsync(context, 201, JsonSerializer.Serialize(new { id = $"{channel};messageid={id}", activityId = id }));
        }

        var last = request.RawTarget.Split('/').Last();
        return FakeHttpServer.WriteJsonAsync(context, 200, JsonSerializer.Serialize(new { id = request.Method == "PUT" ? Uri.UnescapeDataString(last) : id }));
    }

    private Task AnswerMemberAsync(HttpContext context, RecordedRequest request)
    {
        // Teams answers a member lookup by Teams user id or by Entra object id, always with the Teams user id.
        var memberId = Uri.UnescapeDataString(request.RawTarget.Split('/').Last());
        var byEntraId = MemberProfiles.FirstOrDefault(m => string.Equals(m.Value.AadObjectId, memberId, StringComparison.OrdinalIgnoreCase)).Key;
        memberId = byEntraId ?? memberId;
        return MemberProfiles.TryGetValue(memberId, out var member)
            ? FakeHttpServer.WriteJsonAsync(context, 200, JsonSerializer.Serialize(new { id = memberId, name = member.Name, aadObjectId = member.AadObjectId, email = member.Email, userPrincipalName = member.Email }))
            : FakeHttpServer.WriteJsonAsync(context, 404, """{"error":{"code":"MemberNotFoundInConversation","message":"not a member"}}""");
    }

    private sealed class StaticTokenProvider(string token) : IBotTokenProvider
    {
        public Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(token);
    }
}

/// <summary>A Teams user in the tests.</summary>
internal sealed record TestUser(string Id, string Name, string AadObjectId)
{
    public static TestUser Alice { get; } = new("29:alice", "Alice Adams", "aad-alice");
    public static TestUser Bob { get; } = new("29:bob", "Bob Brown", "aad-bob");
    public static TestUser Carol { get; } = new("29:carol", "Carol Chen", "aad-carol");
    public static TestUser Mallory { get; } = new("29:mallory", "Mallory Moss", "aad-mallory");

    /// <summary>People with real Entra object ids (GUIDs), as Teams' people picker submits them.</summary>
    public static TestUser Dan { get; } = new("29:dan", "Dan Diaz", "5f0c1c2e-7a51-4f7e-9d3a-3d1e2b6c0a01");

    public static TestUser Erin { get; } = new("29:erin", "Erin Evans", "a8d9e0f1-2b3c-4d5e-8f60-718293a4b5c6");
}
