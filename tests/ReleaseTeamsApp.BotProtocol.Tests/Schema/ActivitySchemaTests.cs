using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseTeamsApp.BotProtocol.Tests.Schema;

public sealed class ActivitySchemaTests
{
    private const string InboundChannelMessage = """
        {
          "type": "message",
          "id": "1700000000000",
          "timestamp": "2025-03-01T10:15:00.123Z",
          "localTimestamp": "2025-03-01T11:15:00.123+01:00",
          "channelId": "msteams",
          "serviceUrl": "https://smba.trafficmanager.net/emea/",
          "from": { "id": "29:user", "name": "Ada Lovelace", "aadObjectId": "aad-ada", "futureAccountField": 7 },
          "recipient": { "id": "28:bot", "name": "Release Bot" },
          "conversation": { "id": "19:chan@thread.tacv2;messageid=1700000000000", "conversationType": "channel", "tenantId": "tenant-1", "isGroup": true },
          "text": "<at>Release Bot</at> status of <at>Grace</at>\n",
          "textFormat": "plain",
          "locale": "en-GB",
          "entities": [
            { "type": "mention", "mentioned": { "id": "28:bot", "name": "Release Bot" }, "text": "<at>Release Bot</at>" },
            { "type": "mention", "mentioned": { "id": "29:grace", "name": "Grace" }, "text": "<at>Grace</at>" },
            { "type": "clientInfo", "locale": "en-GB", "platform": "Web" }
          ],
          "channelData": {
            "tenant": { "id": "tenant-1" },
            "team": { "id": "19:team@thread.tacv2", "name": "Platform", "aadGroupId": "group-1" },
            "channel": { "id": "19:chan@thread.tacv2", "name": "releases" },
            "eventType": "channelRenamed",
            "settings": { "selectedChannel": { "id": "19:chan@thread.tacv2" } }
          },
          "futureTopLevelField": { "nested": [1, 2, 3] }
        }
        """;

    [Fact]
    public void Deserialize_InboundMessage_ReadsEnvelopeFields()
    {
        var activity = JsonSerializer.Deserialize<Activity>(InboundChannelMessage, BotJson.Options)!;

        Assert.Equal(ActivityTypes.Message, activity.Type);
        Assert.Equal(Channels.MsTeams, activity.ChannelId);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 15, 0, 123, TimeSpan.Zero), activity.Timestamp);
        Assert.Equal(TimeSpan.FromHours(1), activity.LocalTimestamp!.Value.Offset);
        Assert.Equal("aad-ada", activity.From!.AadObjectId);
        Assert.Equal("channel", activity.Conversation!.ConversationType);
        Assert.True(activity.Conversation.IsGroup);
        Assert.Equal(3, activity.Entities!.Count);
    }

    [Fact]
    public void Serialize_RoundTrip_PreservesUnknownFields()
    {
        var activity = JsonSerializer.Deserialize<Activity>(InboundChannelMessage, BotJson.Options)!;

        var json = JsonSerializer.Serialize(activity, BotJson.Options);

        var expected = JsonNode.Parse(InboundChannelMessage)!;
        var actual = JsonNode.Parse(json)!;
        Assert.True(JsonNode.DeepEquals(expected["futureTopLevelField"], actual["futureTopLevelField"]));
        Assert.Equal(7, actual["from"]!["futureAccountField"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(expected["channelData"], actual["channelData"]));
        Assert.True(JsonNode.DeepEquals(expected["entities"], actual["entities"]));
    }

    [Fact]
    public void Serialize_OutgoingMessage_UsesCamelCaseAndOmitsNulls()
    {
        var activity = Activity.CreateMessage("Ship it");
        activity.From = new ChannelAccount("28:bot", "Release Bot");

        var json = JsonSerializer.Serialize(activity, BotJson.Options);

        Assert.Equal("""{"type":"message","from":{"id":"28:bot","name":"Release Bot"},"text":"Ship it","textFormat":"plain"}""", json);
    }

    [Fact]
    public void GetTeamsChannelData_ChannelMessage_ReturnsTenantTeamChannelAndEventType()
    {
        var activity = JsonSerializer.Deserialize<Activity>(InboundChannelMessage, BotJson.Options)!;

        var channelData = activity.GetTeamsChannelData()!;

        Assert.Equal("tenant-1", channelData.Tenant!.Id);
        Assert.Equal(new TeamInfo { Id = "19:team@thread.tacv2", Name = "Platform", AadGroupId = "group-1" }, channelData.Team);
        Assert.Equal(new ChannelInfo { Id = "19:chan@thread.tacv2", Name = "releases" }, channelData.Channel);
        Assert.Equal(TeamsEventTypes.ChannelRenamed, channelData.EventType);
        Assert.True(channelData.Properties!.ContainsKey("settings"));
        Assert.Equal("tenant-1", activity.GetTenantId());
    }

    [Fact]
    public void GetTeamsChannelData_NoChannelData_ReturnsNull()
    {
        var activity = Activity.CreateMessage("hi");

        var channelData = activity.GetTeamsChannelData();

        Assert.Null(channelData);
    }

    [Fact]
    public void GetConversationReference_InboundMessage_CapturesWhereToReply()
    {
        var activity = JsonSerializer.Deserialize<Activity>(InboundChannelMessage, BotJson.Options)!;

        var reference = activity.GetConversationReference();

        Assert.Equal("1700000000000", reference.ActivityId);
        Assert.Equal("29:user", reference.User!.Id);
        Assert.Equal("28:bot", reference.Bot!.Id);
        Assert.Equal("19:chan@thread.tacv2;messageid=1700000000000", reference.Conversation!.Id);
        Assert.Equal("msteams", reference.ChannelId);
        Assert.Equal("https://smba.trafficmanager.net/emea/", reference.ServiceUrl);
        Assert.Equal("en-GB", reference.Locale);
    }

    [Fact]
    public void GetMentions_ChannelMessage_ReturnsOnlyMentionEntities()
    {
        var activity = JsonSerializer.Deserialize<Activity>(InboundChannelMessage, BotJson.Options)!;

        var mentions = activity.GetMentions();

        Assert.Equal(["28:bot", "29:grace"], mentions.Select(m => m.Mentioned!.Id));
        Assert.Equal("<at>Grace</at>", mentions[1].Text);
    }

    [Fact]
    public void RemoveRecipientMention_BotAndUserMentioned_RemovesOnlyBotAndTrims()
    {
        var activity = JsonSerializer.Deserialize<Activity>(InboundChannelMessage, BotJson.Options)!;

        var text = activity.RemoveRecipientMention();

        Assert.Equal("status of <at>Grace</at>", text);
    }

    [Theory]
    [InlineData("<at>Release Bot</at> deploy 1.2 ", "deploy 1.2")]
    [InlineData("ping <at id=\"0\">Grace Hopper</at> and <AT>Ada</AT>", "ping and")]
    [InlineData("  no mentions here\n", "no mentions here")]
    [InlineData(null, "")]
    public void StripMentions_Text_RemovesAtTagsAndTrims(string? input, string expected)
    {
        var result = ActivityExtensions.StripMentions(input);

        Assert.Equal(expected, result);
    }

    [Fact]
    public void AddMention_User_AddsEntityWhoseTextAppearsVerbatimInActivityText()
    {
        var activity = Activity.CreateMessage("Checklist ready for");

        activity.AddMention(new ChannelAccount("29:grace", "Grace <Hopper>"));

        Assert.Equal("Checklist ready for <at>Grace &lt;Hopper&gt;</at>", activity.Text);
        var entity = Assert.Single(activity.Entities!);
        Assert.Equal(
            """{"type":"mention","mentioned":{"id":"29:grace","name":"Grace <Hopper>"},"text":"<at>Grace &lt;Hopper&gt;</at>"}""",
            JsonSerializer.Serialize(entity, BotJson.Options).Replace("\\u003C", "<", StringComparison.Ordinal).Replace("\\u003E", ">", StringComparison.Ordinal).Replace("\\u0026", "&", StringComparison.Ordinal));
        Assert.Contains(activity.GetMentions().Single().Text!, activity.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void MembersAddedIncludesBot_BotInstalled_ReturnsTrue()
    {
        var activity = new Activity
        {
            Type = ActivityTypes.ConversationUpdate,
            Recipient = new ChannelAccount("28:bot"),
            MembersAdded = [new ChannelAccount("29:user"), new ChannelAccount("28:bot")],
        };

        var installed = activity.MembersAddedIncludesBot();

        Assert.True(installed);
        Assert.Null(activity.GetConversationReference().ActivityId);
    }

    [Fact]
    public void Deserialize_ErrorResponse_ReadsCodeAndInnerError()
    {
        const string json = """{"error":{"code":"BotNotInConversationRoster","message":"The bot is not part of the conversation roster.","innerHttpError":{"statusCode":403,"body":{"x":1}}}}""";

        var error = JsonSerializer.Deserialize<ErrorResponse>(json, BotJson.Options)!.Error!;

        Assert.Equal(ConnectorErrorCodes.BotNotInConversationRoster, error.Code);
        Assert.Equal(403, error.InnerHttpError!.StatusCode);
    }
}
