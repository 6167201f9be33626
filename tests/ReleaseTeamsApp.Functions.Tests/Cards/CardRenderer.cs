using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ReleaseTeamsApp.Functions.Tests.Tab;

namespace ReleaseTeamsApp.Functions.Tests.Cards;

/// <summary>What the official renderer made of a card: its parse and validation events, its actions and inputs.</summary>
public sealed record RenderedCard(
    IReadOnlyList<string> Parse,
    IReadOnlyList<string> Validation,
    bool Rendered,
    RenderedRefresh? Refresh,
    string Text,
    IReadOnlyList<RenderedAction> Actions,
    IReadOnlyList<RenderedInput> Inputs,
    IReadOnlyList<string> Truncated);

public sealed record RenderedRefresh(string Type, string? Verb, JsonObject? Data, IReadOnlyList<string> UserIds);

/// <summary>An action as the renderer built it; <see cref="ShowCard"/> is the index of the Action.ShowCard it sits in, or -1.</summary>
public sealed record RenderedAction(int Index, string Type, string Title, string? Verb, JsonObject? Data, string? AssociatedInputs, string? Url, int ShowCard, bool Rendered)
{
    public bool Sends => Type is "Action.Execute" or "Action.Submit";

    public override string ToString() => $"{Type} \"{Title}\"{(Verb is null ? "" : $" ({Verb})")}";
}

public sealed record RenderedInput(string Id, string Type, bool IsRequired, string? ErrorMessage, IReadOnlyList<RenderedChoice> Choices, bool Rendered, bool Failed);

public sealed record RenderedChoice(string Title, string Value);

/// <summary>What the renderer handed to the host on a click: the verb and the data merged with the card's input values.</summary>
public sealed record EmittedAction(string Type, string Title, string? Verb, JsonObject? Data, string? Url);

/// <summary>
/// The official Adaptive Cards JavaScript renderer (npm <c>adaptivecards</c>, what Teams' web and desktop clients are built on)
/// in headless Debian Chromium, driven by Playwright: one browser and one page for a whole test class. The page and the
/// renderer are served from the repository (node_modules) through Playwright routes; every other request is refused.
/// </summary>
public sealed class CardRendererFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private const string Origin = "https://cards.test/";

    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web);

    public const int MaxScreenshotsPerKind = 6;

    private readonly ConcurrentDictionary<string, CardKindStats> _stats = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _screenshots = new(StringComparer.Ordinal);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private JsonNode _hostConfig = null!;

    public IPage Page { get; private set; } = null!;

    /// <summary>Where the screenshots and the summary go: $CARD_SCREENSHOTS, else TestResults/cards next to the test binaries.</summary>
    public string OutputFolder { get; } = Environment.GetEnvironmentVariable("CARD_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(AppContext.BaseDirectory, "TestResults", "cards");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing at {ChromiumPath}. The card renderer tests need it: run `apt-get update && apt-get install -y chromium` (as root) and test again.");
        }

        var modules = Path.Combine(TabRepository.Root(), "node_modules");
        var files = new Dictionary<string, (string Path, string ContentType)>(StringComparer.Ordinal)
        {
            ["card-host.html"] = (Path.Combine(AppContext.BaseDirectory, "Cards", "card-host.html"), "text/html; charset=utf-8"),
            ["adaptivecards.min.js"] = (Path.Combine(modules, "adaptivecards", "dist", "adaptivecards.min.js"), "text/javascript"),
            ["adaptivecards.css"] = (Path.Combine(modules, "adaptivecards", "dist", "adaptivecards.css"), "text/css"),
            ["markdown-it.min.js"] = (Path.Combine(modules, "markdown-it", "dist", "markdown-it.min.js"), "text/javascript"),
        };
        foreach (var (name, (path, _)) in files)
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{name} is missing at {path}. Run `npm ci` in the repository root and test again.");
            }
        }

        _hostConfig = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Cards", "teams-host-config.json")))!;
        Directory.CreateDirectory(OutputFolder);

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 600, Height = 900 } });
        await context.RouteAsync("**/*", async route =>
        {
            var url = route.Request.Url;
            if (url.StartsWith(Origin, StringComparison.Ordinal) && files.TryGetValue(url[Origin.Length..].Split('?')[0], out var file))
            {
                await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = file.ContentType, BodyBytes = await File.ReadAllBytesAsync(file.Path) });
                return;
            }

            await route.AbortAsync();
        });
        Page = await context.NewPageAsync();
        var errors = new List<string>();
        Page.PageError += (_, error) => errors.Add(error);
        await Page.GotoAsync(Origin + "card-host.html");
        await Page.WaitForFunctionAsync("() => document.body.dataset.ready === 'true' && !!window.AdaptiveCards", null, new PageWaitForFunctionOptions { Timeout = 15000 });
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The card host page failed: " + string.Join("; ", errors));
        }
    }

    /// <summary>Renders <paramref name="card"/> as a Teams client does (or, with <paramref name="legacy"/>, as a client without Universal Actions).</summary>
    public async Task<RenderedCard> RenderAsync(JsonObject card, bool legacy = false)
    {
        var result = await Page.EvaluateAsync<string>(
            "([card, config, legacy]) => JSON.stringify(window.cardHost.render(JSON.parse(card), JSON.parse(config), legacy))",
            new object[] { card.ToJsonString(), _hostConfig.ToJsonString(), legacy });
        return JsonSerializer.Deserialize<RenderedCard>(result, ReadOptions)!;
    }

    public async Task<(IReadOnlyList<RenderedAction> Actions, IReadOnlyList<RenderedInput> Inputs)> DescribeAsync()
    {
        var result = JsonDocument.Parse(await Page.EvaluateAsync<string>("() => JSON.stringify(window.cardHost.describe())")).RootElement;
        return (result.GetProperty("actions").Deserialize<List<RenderedAction>>(ReadOptions)!, result.GetProperty("inputs").Deserialize<List<RenderedInput>>(ReadOptions)!);
    }

    /// <summary>A real mouse click on the rendered button; returns what reached the host (nothing when the renderer held it back).</summary>
    public async Task<IReadOnlyList<EmittedAction>> ClickAsync(int actionIndex)
    {
        await Page.EvaluateAsync("() => window.cardHost.takeExecuted()");
        await Page.Locator($"#card [data-action='{actionIndex}']").ClickAsync(new LocatorClickOptions { Timeout = 5000 });
        var emitted = await Page.EvaluateAsync<string>("() => JSON.stringify(window.cardHost.takeExecuted())");
        return JsonSerializer.Deserialize<List<EmittedAction>>(emitted, ReadOptions)!;
    }

    public async Task<IReadOnlyList<string>> VisibleErrorMessagesAsync()
    {
        var messages = await Page.EvaluateAsync<string[]>("() => window.cardHost.visibleErrorMessages()");
        var visible = new List<string>();
        foreach (var message in messages)
        {
            if (await Page.Locator("#card").GetByText(message, new LocatorGetByTextOptions { Exact = true }).First.IsVisibleAsync())
            {
                visible.Add(message);
            }
        }

        return visible;
    }

    /// <summary>
    /// Picks a choice the way a person does, by the visible title: the drop-down of a compact Input.ChoiceSet, or the
    /// typeahead of a filtered one (typed, then the title completed as the person picks it from the suggestions).
    /// </summary>
    public async Task ChooseAsync(string inputId, RenderedChoice choice)
    {
        var field = Page.Locator($"#card [data-input='{inputId}']");
        if (await field.EvaluateAsync<string>("e => e.tagName") == "SELECT")
        {
            await field.SelectOptionAsync(new SelectOptionValue { Label = choice.Title });
            return;
        }

        // The filtered style is a text box (with its suggestion list) inside the input's container.
        var box = await field.EvaluateAsync<string>("e => e.tagName") == "INPUT" ? field : field.Locator("input[type='text']").First;
        await box.ClickAsync();
        await box.FillAsync("");
        await box.PressSequentiallyAsync(choice.Title);
    }

    /// <summary>Picks people in a Teams people picker (stood in by the host page): the value Teams submits, their object ids comma-separated.</summary>
    public async Task<string> PickPeopleAsync(string inputId, IReadOnlyList<string> entraObjectIds) =>
        await Page.EvaluateAsync<string>("([id, ids]) => window.cardHost.pickPeople(id, ids)", new object[] { inputId, entraObjectIds.ToArray() });

    /// <summary>Sets an Input.Date or Input.Time through the browser's own picker field (yyyy-MM-dd, HH:mm), as a person's pick does.</summary>
    public async Task FillAsync(string inputId, string value) =>
        await Page.Locator($"#card [data-input='{inputId}']").FillAsync(value);

    /// <summary>Types into an Input.Text key by key.</summary>
    public async Task TypeAsync(string inputId, string text)
    {
        var field = Page.Locator($"#card [data-input='{inputId}']");
        await field.ClickAsync();
        await field.PressSequentiallyAsync(text);
    }

    /// <summary>Gives the card the width a Teams client gives it (560 px on desktop as the host page starts, about 320 px on a phone or a narrow pane).</summary>
    public async Task SetWidthAsync(int pixels) =>
        await Page.EvaluateAsync("px => { document.getElementById('frame').style.width = px + 'px'; }", pixels);

    /// <summary>The texts (or tags) of the rendered card's elements that reach past its left or right edge.</summary>
    public async Task<IReadOnlyList<string>> OutsideTheCardAsync() =>
        await Page.EvaluateAsync<string[]>("""
            () => {
              const frame = document.getElementById('frame').getBoundingClientRect();
              return [...document.querySelectorAll('#card *')]
                .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > frame.right + 1 || r.left < frame.left - 1); })
                .map(e => (e.innerText || e.tagName).trim().slice(0, 80));
            }
            """);

    /// <summary>The rendered card as PNG (and the card's JSON beside it), up to <see cref="MaxScreenshotsPerKind"/> per kind.</summary>
    public async Task ScreenshotAsync(string kind, JsonObject card)
    {
        var number = _screenshots.AddOrUpdate(kind, 1, (_, n) => n + 1);
        if (number > MaxScreenshotsPerKind)
        {
            return;
        }

        var path = Path.Combine(OutputFolder, FileName(kind) + (number == 1 ? "" : "-" + number.ToString(CultureInfo.InvariantCulture)));
        await Page.Locator("#frame").ScreenshotAsync(new LocatorScreenshotOptions { Path = path + ".png" });
        await File.WriteAllTextAsync(path + ".json", card.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    /// <summary>Counts a rendered card of a kind (its size as sent) and the actions pressed on it.</summary>
    public void Record(string kind, int bytes, int pressed) =>
        _stats.AddOrUpdate(kind, _ => new CardKindStats(bytes, pressed, 1), (_, s) => new CardKindStats(Math.Max(s.LargestBytes, bytes), s.Pressed + pressed, s.Cards + 1));

    public IReadOnlyDictionary<string, CardKindStats> Stats => _stats;

    public static string Table(IEnumerable<KeyValuePair<string, CardKindStats>> rows)
    {
        var text = new StringBuilder("| Card kind | Largest size (bytes) | Cards rendered | Actions pressed |\n|---|---:|---:|---:|\n");
        foreach (var (kind, stats) in rows.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {kind} | {stats.LargestBytes} | {stats.Cards} | {stats.Pressed} |\n");
        }

        return text.ToString();
    }

    public static int Bytes(JsonObject card) =>
        Encoding.UTF8.GetByteCount(card.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

    public async Task DisposeAsync()
    {
        if (!_stats.IsEmpty)
        {
            await File.WriteAllTextAsync(Path.Combine(OutputFolder, "summary.md"), Table(_stats));
        }

        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    private static string FileName(string name) =>
        string.Concat(name.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')).Trim('-');
}

public sealed record CardKindStats(int LargestBytes, int Pressed, int Cards);
