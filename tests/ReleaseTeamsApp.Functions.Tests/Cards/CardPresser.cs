using System.Text.Json.Nodes;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Testing;
using Xunit.Abstractions;

namespace ReleaseTeamsApp.Functions.Tests.Cards;

/// <summary>One press of a button: what the renderer emitted, whether it was a form the person had to fill, and the bot's answer.</summary>
internal sealed record Press(RenderedAction Action, EmittedAction Emitted, bool WasForm, JsonObject? Answer)
{
    /// <summary>The card the bot answered an Action.Execute with (the clicker's refreshed view), if it answered with a card.</summary>
    public JsonObject? AnswerCard =>
        Answer?["type"]?.GetValue<string>() == "application/vnd.microsoft.card.adaptive" ? Answer["value"]?.AsObject() : null;
}

/// <summary>
/// Presses buttons on cards rendered by the official renderer, as a person does, and hands what the renderer emitted to the
/// bot exactly as Teams does: an <c>adaptiveCard/action</c> invoke for Action.Execute, a message with <c>value</c> for Action.Submit.
/// </summary>
internal sealed class CardPresser(CardRendererFixture renderer, BotPipeline bot, ITestOutputHelper output)
{
    public const string TypedText = "Checked on staging by the release team";

    private readonly Dictionary<string, CardKindStats> _local = new(StringComparer.Ordinal);

    /// <summary>
    /// Renders the card, asserts it parses and validates with no warning, is valid Adaptive Card 1.5 within the size
    /// budget, and writes its screenshot. Counts it under <paramref name="kind"/>.
    /// </summary>
    public async Task<RenderedCard> ShowAsync(string kind, JsonObject card, bool legacy = false)
    {
        AdaptiveCardSchema.AssertValid(card, kind);
        var rendered = await renderer.RenderAsync(card, legacy);

        Assert.True(rendered.Rendered, $"{kind}: the renderer produced nothing.");
        // The client without Universal Actions says it does not know Action.Execute and uses the fallback: that is the point.
        var parse = rendered.Parse
            .Where(p => !(legacy && p.StartsWith("UnknownActionType: Unknown action type \"Action.Execute\"", StringComparison.Ordinal)))
            .Where(p => !(IsTeamsPeoplePickerNote(p) && HasOnlyTeamsPeoplePickers(card)))
            .ToList();
        Assert.True(parse.Count == 0, $"{kind}{(legacy ? " (client without Action.Execute)" : "")}: parse warnings:\n{string.Join("\n", parse)}");
        Assert.True(rendered.Validation.Count == 0, $"{kind}{(legacy ? " (client without Action.Execute)" : "")}: validation errors:\n{string.Join("\n", rendered.Validation)}");
        Assert.True(rendered.Truncated.Count == 0, $"{kind}: button titles cut off at Teams' card width: {string.Join(", ", rendered.Truncated)}");
        await renderer.ScreenshotAsync(kind + (legacy ? " legacy" : ""), card);
        Count(kind, CardRendererFixture.Bytes(card), 0);
        return rendered;
    }

    /// <summary>
    /// Presses every Action.Execute / Action.Submit of the card as <paramref name="who"/>, each on a fresh render with the
    /// inputs untouched. A one-tap action (not in a form) must reach the host with exactly its own data. A form action (its
    /// data names no item, or it sits in an Action.ShowCard with required inputs) must be held with a visible validation
    /// message until the person fills the required inputs; then it must reach the host with the typed values. Every emitted
    /// action is sent to the bot; <paramref name="include"/> picks which buttons to press (all by default).
    /// </summary>
    public async Task<IReadOnlyList<Press>> PressEveryActionAsync(
        string kind,
        JsonObject card,
        TestUser who,
        string? activityId = null,
        Func<RenderedAction, bool>? include = null,
        Func<RenderedInput, string>? fill = null,
        bool legacy = false)
    {
        var first = await ShowAsync(kind, card, legacy);
        var presses = new List<Press>();
        foreach (var action in first.Actions.Where(a => a.Sends && (include?.Invoke(a) ?? true)))
        {
            await renderer.RenderAsync(card, legacy);
            var (actions, inputs) = await OpenAsync(action);
            var target = actions[action.Index];
            var isForm = IsForm(target, actions, inputs);

            var emitted = await renderer.ClickAsync(target.Index);

            if (!isForm)
            {
                Assert.True(emitted.Count == 1, $"{kind}: {target} is a one-tap action but the renderer held it back (validation messages: {string.Join("; ", await renderer.VisibleErrorMessagesAsync())}).");
                var sent = emitted[0];
                Assert.True(sent.Verb == target.Verb && JsonNode.DeepEquals(sent.Data, target.Data),
                    $"{kind}: {target} is a one-tap action and must reach the host with its own data; it sent {sent.Verb} {sent.Data?.ToJsonString()}.");
                presses.Add(new Press(target, sent, false, await SendAsync(sent, who, activityId)));
                continue;
            }

            Assert.True(emitted.Count == 0, $"{kind}: {target} is a form action; with its required inputs empty the renderer must hold it, but it sent {(emitted.Count > 0 ? emitted[0].Data : null)?.ToJsonString()}.");
            var messages = await renderer.VisibleErrorMessagesAsync();
            Assert.True(messages.Count > 0, $"{kind}: {target} was held but no validation message is visible.");
            var (_, afterClick) = await renderer.DescribeAsync();
            var typed = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var input in afterClick.Where(i => i.Failed))
            {
                var value = fill?.Invoke(input) ?? (input.Choices.Count > 0 ? input.Choices[^1].Value : TypedText);
                if (input.Choices.Count > 0)
                {
                    await renderer.ChooseAsync(input.Id, input.Choices.Single(c => c.Value == value));
                }
                else
                {
                    await renderer.TypeAsync(input.Id, value);
                }

                typed[input.Id] = value;
            }

            var filled = Assert.Single(await renderer.ClickAsync(target.Index));
            Assert.Equal(target.Verb, filled.Verb);
            Assert.All(typed, t => Assert.Equal(t.Value, filled.Data?[t.Key]?.GetValue<string>()));
            presses.Add(new Press(target, filled, true, await SendAsync(filled, who, activityId)));
        }

        Count(kind, 0, presses.Count);
        return presses;
    }

    /// <summary>
    /// One person's press of the button titled <paramref name="title"/>, after typing into the inputs named in
    /// <paramref name="typed"/> (a choice by its value, text key by key); what the renderer emitted goes to the bot.
    /// </summary>
    public Task<Press> PressAsync(string kind, JsonObject card, string title, TestUser who, string? activityId = null, IReadOnlyDictionary<string, string>? typed = null) =>
        PressAsync(kind, card, a => a.Title == title, who, activityId, typed);

    public async Task<Press> PressAsync(string kind, JsonObject card, Func<RenderedAction, bool> which, TestUser who, string? activityId = null, IReadOnlyDictionary<string, string>? typed = null)
    {
        var rendered = await ShowAsync(kind, card);
        var action = rendered.Actions.Single(a => a.Sends && which(a));
        var (_, inputs) = await OpenAsync(action);
        foreach (var (id, value) in typed ?? new Dictionary<string, string>())
        {
            await EnterAsync(inputs.Single(i => i.Id == id && i.Rendered), value);
        }

        var emitted = Assert.Single(await renderer.ClickAsync(action.Index));
        Count(kind, 0, 1);
        return new Press(action, emitted, typed is { Count: > 0 }, await SendAsync(emitted, who, activityId));
    }

    /// <summary>
    /// Enters a value as a person does: a choice by its title, a date or time through the field's picker, text key by key
    /// (after clearing what the card put there).
    /// </summary>
    public async Task EnterAsync(RenderedInput input, string value)
    {
        if (input.Choices.Count > 0)
        {
            await renderer.ChooseAsync(input.Id, input.Choices.Single(c => c.Value == value));
        }
        else if (input.Type is "Input.Date" or "Input.Time")
        {
            await renderer.FillAsync(input.Id, value);
        }
        else
        {
            await renderer.FillAsync(input.Id, "");
            await renderer.TypeAsync(input.Id, value);
        }
    }

    /// <summary>Sends what the renderer emitted to /api/messages the way Teams does and returns the invoke answer (null for Action.Submit).</summary>
    public async Task<JsonObject?> SendAsync(EmittedAction emitted, TestUser who, string? activityId, string trigger = "manual")
    {
        var data = emitted.Data?.DeepClone().AsObject() ?? [];
        JsonObject activity;
        if (emitted.Type == "Action.Execute")
        {
            activity = bot.Activity(who, "invoke");
            activity["name"] = "adaptiveCard/action";
            activity["value"] = new JsonObject
            {
                ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = emitted.Verb, ["data"] = data },
                ["trigger"] = trigger,
            };
        }
        else
        {
            activity = bot.Activity(who, "message");
            activity["value"] = data;
        }

        if (activityId is not null)
        {
            activity["replyToId"] = activityId;
        }

        using var response = await bot.SendAsync(activity);
        Assert.Equal(200, (int)response.StatusCode);
        if (emitted.Type != "Action.Execute")
        {
            return null;
        }

        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(answer["statusCode"]?.GetValue<int>() == 200, $"The bot answered {emitted.Verb} with {answer.ToJsonString()}");
        return answer;
    }

    /// <summary>Teams' automatic refresh for a listed user: the card's refresh action, sent as an invoke with trigger "automatic".</summary>
    public async Task<JsonObject> RefreshAsync(RenderedCard card, TestUser who, string? activityId)
    {
        var refresh = card.Refresh ?? throw new InvalidOperationException("The card has no refresh action.");
        var answer = await SendAsync(new EmittedAction(refresh.Type, "", refresh.Verb, refresh.Data, null), who, activityId, "automatic");
        return answer!["value"]!.AsObject();
    }

    /// <summary>Writes the table of the card kinds this test rendered into the test output.</summary>
    public void WriteSummary() => output.WriteLine(CardRendererFixture.Table(_local));

    private void Count(string kind, int bytes, int pressed)
    {
        renderer.Record(kind, bytes, pressed);
        _local[kind] = _local.TryGetValue(kind, out var s)
            ? new CardKindStats(Math.Max(s.LargestBytes, bytes), s.Pressed + pressed, s.Cards + (bytes > 0 ? 1 : 0))
            : new CardKindStats(bytes, pressed, bytes > 0 ? 1 : 0);
    }

    /// <summary>
    /// The renderer knows choices.data only from Adaptive Cards 1.6 and says so for a 1.5 card; Teams reads it in 1.5 cards
    /// as its people picker. That one note is expected, and only when every choices.data is Teams' Data.Query on users.
    /// </summary>
    private static bool IsTeamsPeoplePickerNote(string parse) =>
        parse.StartsWith("UnsupportedProperty: ", StringComparison.Ordinal) && parse.Contains("\"choices.data\"", StringComparison.Ordinal);

    private static bool HasOnlyTeamsPeoplePickers(JsonNode? node) => node switch
    {
        JsonObject o => o.All(p => p.Key == "choices.data"
            ? p.Value is JsonObject q && q["type"]?.GetValue<string>() == "Data.Query" && q["dataset"]?.GetValue<string>() == "graph.microsoft.com/users" && o["isMultiSelect"]?.GetValue<bool>() == true
            : HasOnlyTeamsPeoplePickers(p.Value)),
        JsonArray a => a.All(HasOnlyTeamsPeoplePickers),
        _ => true,
    };

    /// <summary>Opens the Action.ShowCard the action sits in (a real click), so its button is on screen.</summary>
    private async Task<(IReadOnlyList<RenderedAction> Actions, IReadOnlyList<RenderedInput> Inputs)> OpenAsync(RenderedAction action)
    {
        if (action.ShowCard >= 0)
        {
            Assert.Empty(await renderer.ClickAsync(action.ShowCard));
        }

        var described = await renderer.DescribeAsync();
        Assert.True(described.Actions[action.Index].Rendered, $"{action} is not on screen.");
        return described;
    }

    /// <summary>
    /// The product's meaning, not the renderer's: an item button whose data names no item needs the item chosen, an action
    /// inside an Action.ShowCard that holds required inputs is that form's submit, and so is the submit of a card that is a
    /// form (it takes the card's inputs and some are required). Everything else is one tap.
    /// </summary>
    private static bool IsForm(RenderedAction action, IReadOnlyList<RenderedAction> actions, IReadOnlyList<RenderedInput> inputs)
    {
        var verb = action.Verb ?? action.Data?["verb"]?.GetValue<string>() ?? "";
        if (verb.StartsWith("item.", StringComparison.Ordinal) && action.Data?["item"] is null)
        {
            return true;
        }

        // A card that is a form (the new-release form): its submit takes the card's inputs and some are required.
        if (action.ShowCard < 0 && action.AssociatedInputs != "none" && inputs.Any(i => i.IsRequired && i.Rendered))
        {
            return true;
        }

        return action.ShowCard >= 0 && inputs.Any(i => i.IsRequired && i.Rendered);
    }
}
