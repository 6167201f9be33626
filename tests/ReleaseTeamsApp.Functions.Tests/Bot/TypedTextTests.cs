using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Bot;

/// <summary>
/// Teams reads message text as HTML: a &lt;word&gt; vanishes (usage hints lost their placeholders) and a typed &lt;at&gt;
/// becomes a broken mention. Every message and card the flows produce, through the real pipeline, is scanned for
/// tag-like text other than the message's own mentions, with people typing markup into every field they can.
/// </summary>
[Collection("Azurite")]
public sealed partial class TypedTextTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Markup = "<script>alert(1)</script> & <at>Mallory</at> <b>bold</b> [click](https://evil.example)";

    private static readonly ChannelKey Channel = new(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId);

    private readonly List<(string What, JsonObject Body)> _invokeAnswers = [];

    private BotPipeline _bot = null!;

    public async Task InitializeAsync() => _bot = await BotPipeline.StartAsync(azurite);

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task EveryFlow_PeopleTypeMarkup_NoTagLikeTextReachesTeamsExceptRealMentions()
    {
        var install = _bot.Activity(TestUser.Alice, "installationUpdate");
        install["action"] = "add";
        await _bot.SendAsync(install);
        foreach (var command in new[]
        {
            "help", "releases", "templates", "status", "my items",
            "new release <b>2.0</b> on 2026-12-10", "new release 2.4.0 on <tomorrow>", "new release 2.4.0 on 2026-12-10 template <x>",
            "new release 2.4.0 on 2026-12-10 <weird> stuff", "launch " + Markup, "assign <astronaut>", "move release 2.4.0 to <soon>",
            "deploy", "announce <everything>", "stakeholders add <nobody>", "status <2.4.0>", "link <github>", "watch",
            "new release 2.4.0 on 2026-12-10 tz UTC scope " + Markup,
        })
        {
            await _bot.SayAsync(command, TestUser.Alice);
        }

        var id = (await _bot.Store.FindIdAsync(Channel, "2.4.0", CancellationToken.None))!;
        Assert.NotNull(id);
        await ClickAsync("note with markup", "item.note", new JsonObject { ["release"] = id, ["item"] = "planning-date-window", ["note"] = Markup });
        await ClickAsync("block with markup", "item.block", new JsonObject { ["release"] = id, ["item"] = "planning-date-window", ["note"] = Markup });
        await ClickAsync("unknown item", "item.complete", new JsonObject { ["release"] = id, ["item"] = "<img src=x>" });
        await ClickAsync("unknown verb", "<b>verb</b>", new JsonObject { ["release"] = id });
        foreach (var command in new[]
        {
            "status", "status 2.4.0", "my items", "releases", "assign qa", "move release 2.4.0 to 2026-12-11",
            "go/no-go", "go --override " + Markup, "deploy start --force " + Markup, "rollback --reason " + Markup,
            "links", "link github <owner>/<repo>", "watch <resource>", "metrics", "outbox", "announce rollback", "close --force " + Markup,
        })
        {
            await _bot.SayAsync(command, TestUser.Alice, command == "assign qa" ? [TestUser.Bob] : []);
        }

        var scanned = Scan();

        Assert.True(scanned.Messages >= 20 && scanned.Cards >= 10, $"only {scanned.Messages} messages and {scanned.Cards} cards were produced");
        Assert.True(scanned.Problems.Count == 0, "tag-like text reached Teams:\n" + string.Join("\n", scanned.Problems.Take(30)));
        Assert.Contains(_bot.ConnectorRequests, r => r.Body.Contains("&lt;astronaut&gt;", StringComparison.Ordinal));
        Assert.Contains(_bot.ConnectorRequests, r => r.Body.Contains("new release 2.5.0 on 2026-12-24", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reply_TypedMentionWithoutAMentionEntity_IsQuotedAsPlainNameNotAMention()
    {
        await _bot.SayAsync("launch <at>Mallory Moss</at> now", TestUser.Alice);

        var reply = JsonNode.Parse(Assert.Single(_bot.ConnectorRequests).Body)!;
        var text = reply["text"]!.GetValue<string>();
        Assert.Contains("launch Mallory Moss now", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<at>", text, StringComparison.Ordinal);
        Assert.DoesNotContain(reply["entities"]?.AsArray() ?? [], e => (string?)e!["type"] == "mention");
    }

    private async Task ClickAsync(string what, string verb, JsonObject data) =>
        _invokeAnswers.Add((what, await _bot.ClickAsync(verb, data, TestUser.Alice)));

    private (int Messages, int Cards, List<string> Problems) Scan()
    {
        var problems = new List<string>();
        var (messages, cards) = (0, 0);
        var bodies = _bot.ConnectorRequests.Where(r => r.Body.Length > 0).Select(r => ($"{r.Method} {r.RawTarget}", JsonNode.Parse(r.Body)!.AsObject()))
            .Concat(_invokeAnswers.Select(a => ($"invoke answer to {a.What}", a.Body)));
        foreach (var (where, body) in bodies)
        {
            var activity = body["activity"]?.AsObject() ?? body;
            if (activity["text"]?.GetValue<string>() is { Length: > 0 } text)
            {
                messages++;
                var mentions = (activity["entities"]?.AsArray() ?? []).Where(e => (string?)e!["type"] == "mention").Select(e => (string)e!["text"]!).ToHashSet(StringComparer.Ordinal);
                var outside = mentions.Aggregate(text, (t, m) => t.Replace(m, "", StringComparison.Ordinal));
                if (TagLike().Match(outside) is { Success: true } tag)
                {
                    problems.Add($"{where}: message text has '{tag.Value}': {text}");
                }
            }

            if (body["type"]?.GetValue<string>() == "application/vnd.microsoft.error" && body["value"]?["message"]?.GetValue<string>() is { } error)
            {
                messages++;
                if (TagLike().Match(error) is { Success: true } tag)
                {
                    problems.Add($"{where}: error shown on the card has '{tag.Value}': {error}");
                }
            }

            foreach (var card in (activity["attachments"]?.AsArray() ?? []).Select(a => a!["content"]).Append(body["type"]?.GetValue<string>() == "application/vnd.microsoft.card.adaptive" ? body["value"] : null).OfType<JsonObject>())
            {
                cards++;
                foreach (var (path, shown) in ShownTexts(card, "$"))
                {
                    if (TagLike().Match(shown) is { Success: true } tag)
                    {
                        problems.Add($"{where}: card text {path} has '{tag.Value}': {shown}");
                    }

                    if (shown.Contains("](https://evil.example)", StringComparison.Ordinal))
                    {
                        problems.Add($"{where}: card text {path} carries a typed markdown link: {shown}");
                    }
                }
            }
        }

        return (messages, cards, problems);
    }

    private static IEnumerable<(string Path, string Text)> ShownTexts(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if (key is "data" or "verb" or "url" or "iconUrl" or "id" or "userIds")
                    {
                        continue;
                    }

                    foreach (var text in ShownTexts(child, $"{path}.{key}"))
                    {
                        yield return text;
                    }
                }

                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    foreach (var text in ShownTexts(arr[i], $"{path}[{i}]"))
                    {
                        yield return text;
                    }
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var s):
                yield return (path, s);
                break;
        }
    }

    // What an HTML or markdown-with-HTML reader takes for a tag: < then a letter, / or !.
    [GeneratedRegex(@"<\s*/?\s*[A-Za-z!?][^<>]*>?", RegexOptions.CultureInvariant)]
    private static partial Regex TagLike();
}
