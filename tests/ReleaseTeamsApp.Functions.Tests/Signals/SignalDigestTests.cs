using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Signals;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Signals;

/// <summary>An item a signal ticked is mentioned, with its evidence, in its owner's next reminder digest, and only in that one.</summary>
[Collection("Azurite")]
public sealed class SignalDigestTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // Friday 11 Dec 2026, 09:30 in Berlin: the T-5 items of a release on 16 Dec are due soon.
    private static readonly DateTimeOffset DueMorning = new(2026, 12, 11, 8, 30, 0, TimeSpan.Zero);
    private const string Evidence = $"https://github.com/{FakeGitHub.Repository}/releases/tag/v2.4.0";

    private FakeGitHub _github = null!;
    private BotPipeline _bot = null!;
    private string _releaseId = "";

    public async Task InitializeAsync()
    {
        _github = await FakeGitHub.StartAsync();
        _bot = await BotPipeline.StartAsync(azurite, new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), _github.Settings());
        _releaseId = await _bot.CreateReleaseAsync("new release 2.4.0 on 2026-12-16 tz Europe/Berlin", ("eng", TestUser.Bob));
        await _bot.SayAsync($"link github {FakeGitHub.Repository}", TestUser.Alice);
        await _bot.ClickAsync("item.complete", new JsonObject { ["release"] = _releaseId, ["item"] = "planning-date-window" }, TestUser.Alice);
        await _bot.ClickAsync("item.complete", new JsonObject { ["release"] = _releaseId, ["item"] = "planning-scope" }, TestUser.Alice);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _github.DisposeAsync();
    }

    [Fact]
    public async Task NextDigest_AfterASignalTickedAnItem_MentionsItOnceToItsOwnerWithTheEvidence()
    {
        var published = FakeGitHub.SampleFor("release.published");
        published["release"]!["tag_name"] = "v2.4.0";
        published["release"]!["html_url"] = Evidence;
        using var response = await FakeGitHub.DeliverAsync(_bot.Client, "release", published);
        await _bot.Host.Services.GetRequiredService<SignalEvaluator>().DrainAsync(CancellationToken.None);
        Assert.Equal(ItemStatus.Done, (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!.Item("planning-release-notes")!.Status);
        _bot.ClearConnector();

        _bot.Clock.Set(DueMorning);
        Assert.True(await _bot.RunTimerAsync("Reminders"));

        // The Technical Writer role is unassigned, so its items (and news of them) go to the Release Manager, Alice.
        var alice = Digests().Single(d => d.Mentioned == TestUser.Alice.Id).Text;
        Assert.Contains("Since your last digest:", alice, StringComparison.Ordinal);
        Assert.Contains($"✅ ticked by GitHub at Thu 3 Dec 10:00: Release notes drafted and reviewed ([evidence]({Evidence}))", alice, StringComparison.Ordinal);
        Assert.DoesNotContain("Release notes drafted", Digests().Single(d => d.Mentioned == TestUser.Bob.Id).Text, StringComparison.Ordinal);
        _bot.ClearConnector();

        _bot.Clock.Set(DueMorning.AddDays(3));
        Assert.True(await _bot.RunTimerAsync("Reminders"));

        Assert.NotEmpty(Digests());
        Assert.All(Digests(), d => Assert.DoesNotContain("Release notes drafted", d.Text, StringComparison.Ordinal));
        Assert.Empty((await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!.Release.SignalNotes);
    }

    private List<(string Mentioned, string Text)> Digests() => _bot.ConnectorRequests
        .Where(r => r.Method == "POST")
        .Select(r => JsonNode.Parse(r.Body)!.AsObject())
        .Where(a => a["entities"] is JsonArray entities && entities.Any(e => e!["type"]!.GetValue<string>() == "mention"))
        .Select(a => (a["entities"]!.AsArray().First(e => e!["type"]!.GetValue<string>() == "mention")!["mentioned"]!["id"]!.GetValue<string>(), a["text"]!.GetValue<string>()))
        .ToList();
}
