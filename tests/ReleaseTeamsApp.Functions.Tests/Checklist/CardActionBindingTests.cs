using System.Text.Json.Nodes;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Functions.Tests.Bot;

namespace ReleaseTeamsApp.Functions.Tests.Checklist;

/// <summary>
/// The release id in a card's action.data is not signed by Teams: a click sent from another tenant, team or channel
/// with a real release id gets "not in this channel", changes nothing and posts nothing.
/// </summary>
[Collection("Azurite")]
public sealed class CardActionBindingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly ChannelKey Home = new(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId);
    private BotPipeline _bot = null!;
    private string _id = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotPipeline.StartAsync(azurite);
        _id = await _bot.CreateReleaseAsync("new release 2.4.0 on 2026-12-10 tz UTC scope confidential acquisition of Fabrikam");
        await _bot.SayAsync("stakeholders add vp.sales@contoso.example", TestUser.Alice);
        _bot.ClearConnector();
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    public static TheoryData<string, string, string> Attacks()
    {
        var data = new TheoryData<string, string, string>();
        string[] verbs = ["release.refresh", "card.refresh", "item.complete", "item.block", "gonogo.show", "gonogo.vote.go", "deploy.start", "rollback.raise", "announce.send"];
        foreach (var verb in verbs)
        {
            data.Add(verb, "other-team", "alice");
        }

        data.Add("release.refresh", "other-channel-same-team", "mallory");
        data.Add("item.complete", "other-tenant", "alice");
        data.Add("gonogo.show", "other-channel-same-team", "alice");
        return data;
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Click_ReleaseOfAnotherChannel_AnswersNotInThisChannelAndChangesNothing(string verb, string where, string who)
    {
        var elsewhere = where switch
        {
            "other-team" => new ChannelKey(BotPipeline.TenantId, "19:mallory-team@thread.tacv2", "19:mallory-team@thread.tacv2"),
            "other-channel-same-team" => Home with { ChannelId = "19:random@thread.tacv2" },
            _ => new ChannelKey("9a9a9a9a-0000-4000-8000-00000000beef", "19:foreign@thread.tacv2", "19:foreign@thread.tacv2"),
        };
        var before = await SnapshotAsync();
        var data = new JsonObject { ["release"] = _id, ["item"] = "planning-date-window", ["phase"] = "planning", ["kind"] = "release", ["note"] = "hijacked" };

        var response = await _bot.ClickInAsync(elsewhere, verb, data, who == "alice" ? TestUser.Alice : TestUser.Mallory);

        Assert.Equal(403, response["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", response["type"]!.GetValue<string>());
        Assert.Equal(CardActions.NotInThisChannelMessage, response["value"]!["message"]!.GetValue<string>());
        Assert.DoesNotContain("Fabrikam", response.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(_bot.ConnectorRequests);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Click_SameReleaseFromItsOwnChannel_StillWorks()
    {
        var response = await _bot.ClickAsync("release.refresh", new JsonObject { ["release"] = _id }, TestUser.Mallory);

        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        Assert.Contains("2.4.0", response.ToJsonString(), StringComparison.Ordinal);
    }

    /// <summary>Everything a click could change: the release row, its items and its audit trail.</summary>
    private async Task<string> SnapshotAsync()
    {
        var state = (await _bot.Store.GetAsync(_id, CancellationToken.None))!;
        var audit = await _bot.Store.GetAuditAsync(_id, CancellationToken.None);
        return System.Text.Json.JsonSerializer.Serialize(new
        {
            state.Release.Status,
            GoNoGo = state.Release.GoNoGo is null ? null : System.Text.Json.JsonSerializer.Serialize(state.Release.GoNoGo),
            Deployment = state.Release.Deployment is null ? null : System.Text.Json.JsonSerializer.Serialize(state.Release.Deployment),
            Rollbacks = state.Release.Rollbacks.Count,
            Items = state.Items.Select(i => $"{i.Id}:{i.Status}:{i.Note}"),
            Audit = audit.Count,
        });
    }
}
