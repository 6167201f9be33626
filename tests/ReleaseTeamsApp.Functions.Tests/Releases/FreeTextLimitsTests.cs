using System.Text.Json.Nodes;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Releases;

/// <summary>Every free text has a limit on the server: a longer one is refused with its length and the limit, and nothing is stored.</summary>
[Collection("Azurite")]
public sealed class FreeTextLimitsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly ChannelKey Channel = new(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId);
    private BotPipeline _bot = null!;
    private string _id = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotPipeline.StartAsync(azurite);
        _id = await _bot.CreateReleaseAsync("new release 2.4.0 on 2026-12-10 tz UTC", ("qa", TestUser.Bob), ("eng", TestUser.Bob));
        _bot.ClearConnector();
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task NewRelease_ScopeOf100000Characters_RefusedWithItsLengthAndNothingIsPostedOrStored()
    {
        await _bot.SayAsync("new release 3.0.0 on 2026-12-10 scope " + new string('s', 100_000), TestUser.Alice);

        var reply = Assert.Single(_bot.ConnectorRequests);
        Assert.Contains("Scope is 100,000 characters; keep it to 1,000 at most.", Text(reply), StringComparison.Ordinal);
        Assert.True(reply.Body.Length < 2_000, $"the refusal is {reply.Body.Length} bytes: it must not echo the scope");
        Assert.Null(await _bot.Store.FindIdAsync(Channel, "3.0.0", CancellationToken.None));
    }

    [Fact]
    public async Task NewRelease_ScopeOf1000Characters_IsCreatedAndItsSummaryCardStaysSmall()
    {
        await _bot.SayAsync("new release 3.0.1 on 2026-12-10 scope " + new string('s', 1_000), TestUser.Alice);

        var id = await _bot.Store.FindIdAsync(Channel, "3.0.1", CancellationToken.None);
        Assert.Equal(1_000, (await _bot.Store.GetAsync(id!, CancellationToken.None))!.Release.Scope!.Length);
        var summary = Assert.Single(_bot.ConnectorRequests, r => r.RawTarget == "/v3/conversations");
        Assert.True(summary.Body.Length < 28_000, $"summary card request is {summary.Body.Length} bytes (Teams accepts about 28 KB)");
    }

    [Fact]
    public async Task NewRelease_VersionOf100Characters_RefusedWithItsLength()
    {
        await _bot.SayAsync($"new release {new string('9', 100)} on 2026-12-10", TestUser.Alice);

        Assert.Contains("The version is 100 characters; keep it to 40 at most.", Text(Assert.Single(_bot.ConnectorRequests)), StringComparison.Ordinal);
        Assert.Equal(["2.4.0"], (await _bot.Store.ListAsync(BotPipeline.TenantId, BotPipeline.TeamId, CancellationToken.None)).Select(r => r.Version));
    }

    [Theory]
    [InlineData("go --override {0}", "The reason is 501 characters")]
    [InlineData("rollback --reason {0}", "The rollback reason is 501 characters")]
    [InlineData("close --force {0}", "The reason is 501 characters")]
    [InlineData("deploy start --override {0}", "The reason is 501 characters")]
    public async Task Command_ReasonOf501Characters_RefusedAndNothingRecorded(string command, string expected)
    {
        var before = await _bot.Store.GetAsync(_id, CancellationToken.None);

        await _bot.SayAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, command, new string('r', 501)), TestUser.Alice);

        Assert.Contains(_bot.ConnectorRequests, r => Text(r).Contains(expected + "; keep it to 500 at most.", StringComparison.Ordinal));
        var after = await _bot.Store.GetAsync(_id, CancellationToken.None);
        Assert.Equal(StoredJson.Write(before!.Release), StoredJson.Write(after!.Release));
        Assert.DoesNotContain(await _bot.Store.GetAuditAsync(_id, CancellationToken.None), a => a.Note?.Contains("rrrrr", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task NoGoVote_CommentOf501Characters_RefusedOnTheCardAndNoSignOffStored()
    {
        await _bot.SayAsync("go/no-go", TestUser.Alice);

        var answer = await _bot.ClickAsync("gonogo.vote.nogo", new JsonObject { ["release"] = _id, ["view"] = "gonogo", ["note"] = new string('c', 501) }, TestUser.Bob);

        Assert.Contains("The comment is 501 characters; keep it to 500 at most.", answer.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty((await _bot.Store.GetAsync(_id, CancellationToken.None))!.Release.GoNoGo?.SignOffs ?? []);
    }

    [Theory]
    [InlineData("item.block", "The reason is 501 characters")]
    [InlineData("item.note", "The note is 501 characters")]
    public async Task ItemAction_TextOf501Characters_RefusedOnTheCardAndTheItemIsUnchanged(string verb, string expected)
    {
        var answer = await _bot.ClickAsync(verb, new JsonObject { ["release"] = _id, ["item"] = "team-automation-coverage", ["note"] = new string('n', 501) }, TestUser.Bob);

        Assert.Contains(expected + "; keep it to 500 at most.", answer.ToJsonString(), StringComparison.Ordinal);
        var item = (await _bot.Store.GetAsync(_id, CancellationToken.None))!.Item("team-automation-coverage")!;
        Assert.Equal((ItemStatus.Open, null), (item.Status, item.Note));
    }

    [Fact]
    public async Task Command_SenderWithA5000CharacterDisplayName_IsStoredWithTheNameClipped()
    {
        var longName = new TestUser("29:longname", new string('N', 5_000), "aad-longname");

        await _bot.SayAsync("new release 3.2.0 on 2026-12-10", longName);

        var release = (await _bot.Store.GetAsync((await _bot.Store.FindIdAsync(Channel, "3.2.0", CancellationToken.None))!, CancellationToken.None))!.Release;
        Assert.Equal(TextLimits.Name, release.CreatedBy.Name.Length);
        Assert.All(release.Roles[ReleaseRole.ReleaseManager], p => Assert.Equal(TextLimits.Name, p.Name.Length));
    }

    [Fact]
    public async Task Change_ThatWouldOutgrowTheReleaseRow_RefusedWithAClearMessageAndTheReleaseKeepsWorking()
    {
        var state = (await _bot.Store.GetAsync(_id, CancellationToken.None))!;
        var room = TextLimits.ReleaseRowCharacters - StoredJson.Write(state.Release with { Scope = "" }).Length - 20;
        await _bot.Store.UpdateAsync(_id, s => ReleaseChange.Record(s.Release with { Scope = new string('s', room) }).Returning(true), null, CancellationToken.None);
        var before = StoredJson.Write((await _bot.Store.GetAsync(_id, CancellationToken.None))!.Release);

        await _bot.SayAsync("assign pm", TestUser.Alice, TestUser.Carol);

        Assert.Contains(_bot.ConnectorRequests, r => Text(r).StartsWith("Release 2.4.0 would be", StringComparison.Ordinal) && Text(r).Contains("nothing was changed", StringComparison.Ordinal));
        Assert.Equal(before, StoredJson.Write((await _bot.Store.GetAsync(_id, CancellationToken.None))!.Release));
        var tick = await _bot.ClickAsync("item.complete", new JsonObject { ["release"] = _id, ["item"] = "team-automation-coverage" }, TestUser.Bob);
        Assert.Equal(200, tick["statusCode"]!.GetValue<int>());
        Assert.Equal(ItemStatus.Done, (await _bot.Store.GetAsync(_id, CancellationToken.None))!.Item("team-automation-coverage")!.Status);
    }

    private static string Text(RecordedRequest request) => JsonNode.Parse(request.Body)?["text"]?.GetValue<string>() ?? "";
}
