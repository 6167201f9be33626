using System.Text.Json;

namespace ReleaseTeamsApp.BotProtocol.Tests.Schema;

public sealed class AdaptiveCardInvokeTests
{
    private sealed record ApproveData(string ReleaseId, string? Comment);

    [Fact]
    public void GetValue_ActionExecuteInvoke_ReadsVerbDataAndTrigger()
    {
        const string json = """
            {"type":"invoke","name":"adaptiveCard/action","channelId":"msteams",
             "value":{"action":{"type":"Action.Execute","id":"approve-btn","verb":"approveRelease","data":{"releaseId":"r-42","comment":"lgtm"}},
                      "trigger":"manual","state":"s1"}}
            """;
        var activity = JsonSerializer.Deserialize<Activity>(json, BotJson.Options)!;

        var value = activity.GetValue<AdaptiveCardInvokeValue>()!;

        Assert.Equal(InvokeNames.AdaptiveCardAction, activity.Name);
        Assert.Equal("Action.Execute", value.Action!.Type);
        Assert.Equal("approve-btn", value.Action.Id);
        Assert.Equal("approveRelease", value.Action.Verb);
        Assert.Equal("manual", value.Trigger);
        Assert.Equal("s1", value.State);
        Assert.Equal(new ApproveData("r-42", "lgtm"), value.Action.GetData<ApproveData>());
    }

    [Fact]
    public void Card_Serialized_MatchesUniversalActionsShape()
    {
        var response = AdaptiveCardInvokeResponse.Card(new Dictionary<string, object> { ["type"] = "AdaptiveCard", ["version"] = "1.5" });

        var json = JsonSerializer.Serialize(response, BotJson.Options);

        Assert.Equal("""{"statusCode":200,"type":"application/vnd.microsoft.card.adaptive","value":{"type":"AdaptiveCard","version":"1.5"}}""", json);
    }

    [Fact]
    public void Message_Serialized_MatchesUniversalActionsShape()
    {
        var response = AdaptiveCardInvokeResponse.Message("Saved");

        var json = JsonSerializer.Serialize(response, BotJson.Options);

        Assert.Equal("""{"statusCode":200,"type":"application/vnd.microsoft.activity.message","value":"Saved"}""", json);
    }

    [Fact]
    public void BadRequest_Serialized_UsesErrorContentTypeWithCodeAndMessage()
    {
        var response = AdaptiveCardInvokeResponse.BadRequest("Unknown verb");

        var json = JsonSerializer.Serialize(response, BotJson.Options);

        Assert.Equal("""{"statusCode":400,"type":"application/vnd.microsoft.error","value":{"code":"BadRequest","message":"Unknown verb"}}""", json);
    }

    [Fact]
    public void FromAdaptiveCard_ErrorResponse_IsStillHttp200()
    {
        var invoke = InvokeResponse.FromAdaptiveCard(AdaptiveCardInvokeResponse.InternalError("boom"));

        Assert.Equal(200, invoke.Status);
        Assert.Equal(500, Assert.IsType<AdaptiveCardInvokeResponse>(invoke.Body).StatusCode);
    }
}
