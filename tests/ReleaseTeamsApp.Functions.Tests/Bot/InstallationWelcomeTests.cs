using System.Net;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Bot;

/// <summary>
/// Teams announces one installation in a team twice: a conversationUpdate with the bot in membersAdded (eventType
/// teamMemberAdded) and an installationUpdate with action "add", in either order. The activity shapes follow Microsoft's
/// "Conversation events in your Teams bot" page: the conversation is the selected channel, the conversationUpdate has no
/// channelData.channel, the installationUpdate has one.
/// </summary>
[Collection("Azurite")]
public sealed class InstallationWelcomeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string BotId = "28:" + FakeBotFrameworkIdentity.AppId;

    private BotPipeline _bot = null!;

    public async Task InitializeAsync() => _bot = await BotPipeline.StartAsync(azurite);

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Install_ConversationUpdateThenInstallationUpdate_PostsOneWelcome()
    {
        await SendOkAsync(BotAdded());
        await SendOkAsync(InstallationUpdate("add"));

        Assert.Equal(1, Welcomes());
    }

    [Fact]
    public async Task Install_InstallationUpdateThenConversationUpdate_PostsOneWelcome()
    {
        await SendOkAsync(InstallationUpdate("add"));
        await SendOkAsync(BotAdded());

        Assert.Equal(1, Welcomes());
    }

    [Fact]
    public async Task Install_BothEventsAtTheSameMoment_PostsOneWelcome()
    {
        for (var round = 0; round < 5; round++)
        {
            var conversation = $"19:concurrent-{round}@thread.tacv2";

            var responses = await Task.WhenAll(
                _bot.SendAsync(BotAdded(conversation)), _bot.SendAsync(InstallationUpdate("add", conversation)),
                _bot.SendAsync(BotAdded(conversation)), _bot.SendAsync(InstallationUpdate("add", conversation)));

            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            Assert.Equal(1, Welcomes(conversation));
        }
    }

    [Fact]
    public async Task Reinstall_AfterInstallationUpdateRemove_WelcomesAgainOnce()
    {
        await SendOkAsync(InstallationUpdate("add"));
        await SendOkAsync(BotAdded());

        await SendOkAsync(InstallationUpdate("remove"));
        await SendOkAsync(BotRemoved());
        await SendOkAsync(BotAdded());
        await SendOkAsync(InstallationUpdate("add"));

        Assert.Equal(2, Welcomes());
        var registry = (ReleaseTeamsApp.Teams.ChannelRegistry)_bot.Host.Services.GetService(typeof(ReleaseTeamsApp.Teams.ChannelRegistry))!;
        Assert.False((await registry.FindAsync(BotPipeline.TenantId, BotPipeline.ChannelId, CancellationToken.None))!.Removed);
    }

    [Fact]
    public async Task Reinstall_AfterBotRemovedFromMembers_WelcomesAgain()
    {
        await SendOkAsync(BotAdded());
        await SendOkAsync(BotRemoved());

        await SendOkAsync(InstallationUpdate("add"));

        Assert.Equal(2, Welcomes());
    }

    [Fact]
    public async Task Upgrade_AddUpgradeOfAnInstalledApp_PostsNoSecondWelcome()
    {
        await SendOkAsync(InstallationUpdate("add"));

        await SendOkAsync(InstallationUpdate("add-upgrade"));

        Assert.Equal(1, Welcomes());
    }

    [Fact]
    public async Task Install_TwoChannelsOfOneTeam_EachIsWelcomed()
    {
        await SendOkAsync(InstallationUpdate("add"));

        await SendOkAsync(InstallationUpdate("add", "19:other-channel@thread.tacv2"));

        Assert.Equal((1, 1), (Welcomes(), Welcomes("19:other-channel@thread.tacv2")));
    }

    private int Welcomes(string conversation = BotPipeline.ChannelId) => _bot.ConnectorRequests.Count(r =>
        r.Method == "POST"
        && r.RawTarget.StartsWith($"/v3/conversations/{Uri.EscapeDataString(conversation)}/activities", StringComparison.Ordinal)
        && r.Body.Contains("Release Coordinator is here", StringComparison.Ordinal));

    private async Task SendOkAsync(JsonObject activity)
    {
        using var response = await _bot.SendAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private JsonObject BotAdded(string conversation = BotPipeline.ChannelId) => MemberEvent("membersAdded", "teamMemberAdded", conversation);

    private JsonObject BotRemoved(string conversation = BotPipeline.ChannelId) => MemberEvent("membersRemoved", "teamMemberRemoved", conversation);

    private JsonObject MemberEvent(string members, string eventType, string conversation)
    {
        var activity = Envelope("conversationUpdate", conversation);
        activity[members] = new JsonArray(new JsonObject { ["id"] = BotId });
        activity["channelData"] = new JsonObject
        {
            ["settings"] = new JsonObject { ["selectedChannel"] = new JsonObject { ["id"] = conversation } },
            ["team"] = new JsonObject { ["aadGroupId"] = "f3ec8cd2-0000-4000-8000-9a3a21d683c0", ["name"] = "Contoso", ["id"] = BotPipeline.TeamId },
            ["eventType"] = eventType,
            ["tenant"] = new JsonObject { ["id"] = BotPipeline.TenantId },
        };
        return activity;
    }

    private JsonObject InstallationUpdate(string action, string conversation = BotPipeline.ChannelId)
    {
        var activity = Envelope("installationUpdate", conversation);
        activity["action"] = action;
        activity["locale"] = "en-US";
        activity["entities"] = new JsonArray(new JsonObject { ["type"] = "clientInfo", ["locale"] = "en-US" });
        activity["channelData"] = new JsonObject
        {
            ["settings"] = new JsonObject { ["selectedChannel"] = new JsonObject { ["id"] = conversation } },
            ["channel"] = new JsonObject { ["id"] = conversation },
            ["team"] = new JsonObject { ["aadGroupId"] = "f3ec8cd2-0000-4000-8000-9a3a21d683c0", ["name"] = "Contoso", ["id"] = BotPipeline.TeamId },
            ["tenant"] = new JsonObject { ["id"] = BotPipeline.TenantId },
            ["source"] = new JsonObject { ["name"] = "message" },
        };
        return activity;
    }

    private JsonObject Envelope(string type, string conversation) => new()
    {
        ["type"] = type,
        ["id"] = "f:" + Guid.NewGuid().ToString("N"),
        ["timestamp"] = DateTimeOffset.UtcNow,
        ["channelId"] = "msteams",
        ["serviceUrl"] = _bot.ServiceUrl,
        ["from"] = new JsonObject { ["id"] = TestUser.Alice.Id, ["aadObjectId"] = TestUser.Alice.AadObjectId },
        ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "ReleaseBot" },
        ["conversation"] = new JsonObject { ["isGroup"] = true, ["conversationType"] = "channel", ["tenantId"] = BotPipeline.TenantId, ["id"] = conversation, ["name"] = "Releases" },
    };
}
