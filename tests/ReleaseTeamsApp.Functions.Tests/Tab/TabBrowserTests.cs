using System.Text.Json;
using Microsoft.Playwright;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Tab;

/// <summary>
/// The local host with the development bypass and a fixed clock, two seeded releases, and headless Debian Chromium
/// driven by Playwright. The tests never skip: without /usr/bin/chromium they fail and say how to install it.
/// </summary>
public sealed class TabBrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string Tenant = "tenant-ui-tests";
    public static readonly ChannelKey Channel = new(Tenant, "19:team-ui@thread.skype", "19:releases-ui@thread.tacv2");
    public static readonly ChannelKey RefreshChannel = new(Tenant, "19:team-ui@thread.skype", "19:refresh-ui@thread.tacv2");

    private AzuriteFixture? _azurite;
    private TabLocalHost? _host;
    private IPlaywright? _playwright;

    internal TabLocalHost Host => _host!;

    public IBrowser Browser { get; private set; } = null!;

    public Release Scenario { get; private set; } = null!;

    public Release Refreshing { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing at {ChromiumPath}. The release tab's browser tests need it: run `apt-get update && apt-get install -y chromium` (as root) and test again.");
        }

        _azurite = new AzuriteFixture();
        await _azurite.InitializeAsync();
        _host = await TabLocalHost.StartAsync(_azurite.ConnectionString, _azurite.NewTablePrefix(), new Dictionary<string, string?>
        {
            ["Tab:AllowDevelopmentBypass"] = "true",
            ["LocalHost:ClockStart"] = TabReleaseSeed.Now.ToString("O"),
        });
        Scenario = await TabReleaseSeed.CreateScenarioAsync(Host.Store, Channel, "4.0.0");
        Refreshing = await TabReleaseSeed.CreateAsync(Host.Store, RefreshChannel, "4.1.0");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public string DashboardUrl(Release release, string extra = "") =>
        Host.Url($"api/tab/index.html?releaseId={release.Id}&tenantId={Tenant}&teamId={Uri.EscapeDataString(release.Channel.TeamId)}&channelId={Uri.EscapeDataString(release.Channel.ChannelId)}{extra}").ToString();

    public async Task<IPage> OpenAsync(string url, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(url);
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.renders || 0) >= 1 || document.body.dataset.ready === 'true'", null, new PageWaitForFunctionOptions { Timeout = 15000 });
        Assert.Empty(errors);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

public sealed class TabBrowserTests(TabBrowserFixture fixture) : IClassFixture<TabBrowserFixture>
{
    private static async Task<string[]> RowIdsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#item-rows tr')].map(r => r.dataset.itemId)");

    private static Task<string?> PhaseCountAsync(IPage page, string phaseId) =>
        page.Locator($"#phases li[data-phase-id='{phaseId}'] .phase-count").TextContentAsync();

    [Fact]
    public async Task Dashboard_SeededRelease_ShowsHeaderPhaseCountsAndBlockerFirst()
    {
        var page = await fixture.OpenAsync(fixture.DashboardUrl(fixture.Scenario));

        Assert.Equal("Release 4.0.0", await page.Locator("h1").TextContentAsync());
        Assert.Equal("development", await page.EvaluateAsync<string>("() => document.body.dataset.mode"));
        Assert.Contains("Europe/Berlin", await page.Locator("#facts").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("10:00–12:00", await page.Locator("#facts").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("4 / 20", await PhaseCountAsync(page, "pre-release"));
        Assert.Equal("0 / 12", await PhaseCountAsync(page, "release-day"));
        Assert.Equal("0 / 8", await PhaseCountAsync(page, "post-release"));
        Assert.Equal("not triggered", await PhaseCountAsync(page, "rollback"));
        var rows = await RowIdsAsync(page);
        Assert.Equal(45, rows.Length);
        Assert.Equal("team-automation-coverage", rows[0]);
        var blocker = page.Locator("#item-rows tr").First;
        Assert.Contains("Blocked", await blocker.Locator("td[data-label='Status']").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("Overdue", await blocker.Locator("td[data-label='Status']").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("Staging test runner is down", await blocker.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("Bob QA-Automation", await blocker.TextContentAsync(), StringComparison.Ordinal);
        // Due at T-4d = 6 Dec 10:00 in Berlin (09:00 UTC): the team's time zone, not UTC.
        Assert.Equal("Sun 6 Dec 10:00", await blocker.Locator("td[data-label='Due']").TextContentAsync());
        Assert.Equal("https://octoacme.example/scope", await page.Locator("tr[data-item-id='planning-scope'] a.evidence").GetAttributeAsync("href"));
        Assert.Equal(6, await page.Locator("#timeline-list li").CountAsync());
        Assert.True(await page.Locator("#gonogo").IsVisibleAsync());
        Assert.Contains("pending", await page.Locator("#gonogo").TextContentAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.True(await page.Locator("#outbox").IsHiddenAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => !!window.Chart && !!window.Chart.getChart(document.getElementById('burndown-chart'))"));

        var path = Path.Combine(AppContext.BaseDirectory, "TestResults", "tab-dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000);
    }

    [Fact]
    public async Task Filters_ByRoleAndByStatus_ShowOnlyMatchingItems()
    {
        var page = await fixture.OpenAsync(fixture.DashboardUrl(fixture.Scenario));

        await page.SelectOptionAsync("#filter-role", "TechnicalWriter");
        var writerRows = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#item-rows tr')].map(r => r.dataset.role)");
        await page.SelectOptionAsync("#filter-role", "");
        await page.SelectOptionAsync("#filter-status", "done");
        var doneRows = await RowIdsAsync(page);
        await page.SelectOptionAsync("#filter-status", "overdue");
        var overdueRows = await RowIdsAsync(page);
        await page.SelectOptionAsync("#filter-role", "EngineeringLead");
        var overdueEngineering = await RowIdsAsync(page);

        Assert.Equal(4, writerRows.Length);
        Assert.All(writerRows, role => Assert.Equal("TechnicalWriter", role));
        Assert.Equal(["planning-date-window", "planning-scope", "planning-prs-merged"], doneRows);
        Assert.Equal(["team-automation-coverage", "planning-release-notes", "planning-breaking-changes", "team-dev-complete"], overdueRows);
        Assert.Equal(["team-dev-complete"], overdueEngineering);
        Assert.Equal("Showing 1 of 45 items.", await page.Locator("#item-count").TextContentAsync());
    }

    [Fact]
    public async Task AutoRefresh_ChangeThroughStoreAfterLoad_AppearsWithoutReload()
    {
        var page = await fixture.OpenAsync(fixture.DashboardUrl(fixture.Refreshing, "&refreshSeconds=1"));
        await page.EvaluateAsync("() => { window.__sameDocument = 'yes'; }");
        Assert.Equal("0 / 20", await PhaseCountAsync(page, "pre-release"));

        await TabReleaseSeed.ChangeAsync(fixture.Host.Store, fixture.Refreshing.Id, new ItemChange("planning-scope", ItemAction.Block, TabReleaseSeed.Rm, "Scope still in review"), TabReleaseSeed.Now);
        await TabReleaseSeed.ChangeAsync(fixture.Host.Store, fixture.Refreshing.Id, new ItemChange("planning-date-window", ItemAction.Complete, TabReleaseSeed.Rm), TabReleaseSeed.Now.AddMinutes(1));
        await page.WaitForFunctionAsync(
            "() => document.querySelector(\"#phases li[data-phase-id='pre-release'] .phase-count\").textContent === '1 / 20'",
            null,
            new PageWaitForFunctionOptions { Timeout = 10000 });

        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.__sameDocument"));
        Assert.Equal("planning-scope", (await RowIdsAsync(page))[0]);
        Assert.Contains("completed", await page.Locator("#timeline-list li").First.TextContentAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("default", "rgb(255, 255, 255)", "rgb(36, 36, 36)")]
    [InlineData("dark", "rgb(31, 31, 31)", "rgb(255, 255, 255)")]
    [InlineData("contrast", "rgb(0, 0, 0)", "rgb(255, 255, 255)")]
    public async Task Theme_FromQuery_AppliesThemeColors(string theme, string background, string text)
    {
        var page = await fixture.OpenAsync(fixture.DashboardUrl(fixture.Scenario, "&theme=" + theme));

        var colors = await page.EvaluateAsync<string[]>("() => [document.body.className, getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector('h1')).color]");

        Assert.Equal(["theme-" + theme, background, text], colors);
    }

    [Fact]
    public async Task Theme_TeamsThemeChange_SwitchesWithoutReload()
    {
        var page = await fixture.OpenAsync(fixture.DashboardUrl(fixture.Scenario));

        // The handler teams-js calls on app.registerOnThemeChangeHandler.
        await page.EvaluateAsync("() => window.ReleaseDashboard.setTheme('dark')");
        var dark = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        await page.EvaluateAsync("() => window.ReleaseDashboard.setTheme('contrast')");
        var contrast = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        var chartText = await page.EvaluateAsync<string>("() => window.Chart.getChart(document.getElementById('burndown-chart')).options.scales.x.ticks.color");

        Assert.Equal("rgb(31, 31, 31)", dark);
        Assert.Equal("rgb(0, 0, 0)", contrast);
        Assert.Equal("#ffffff", chartText);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("dark")]
    [InlineData("contrast")]
    public async Task Accessibility_Axe_NoSeriousOrCriticalViolations(string theme)
    {
        var page = await fixture.OpenAsync(fixture.DashboardUrl(fixture.Scenario, "&theme=" + theme));
        var axe = await File.ReadAllTextAsync(Path.Combine(TabRepository.Root(), "node_modules", "axe-core", "axe.min.js"));

        await page.EvaluateAsync(axe);
        var violations = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ') }))");

        var serious = violations.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("targets").GetString()}")
            .ToList();
        Assert.True(serious.Count == 0, "axe found: " + string.Join("; ", serious));
    }

    [Fact]
    public async Task Layout_At320Pixels_HasNoHorizontalScroll()
    {
        var page = await fixture.OpenAsync(fixture.DashboardUrl(fixture.Scenario), width: 320, height: 800);

        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");

        Assert.True(scrollWidth <= 320, $"The page is {scrollWidth}px wide at a 320px viewport.");
        Assert.True(await page.Locator("#item-rows tr").First.IsVisibleAsync());
    }

    [Fact]
    public async Task ConfigPage_DevelopmentMode_OffersLatestAndTheChannelsReleases()
    {
        var url = fixture.Host.Url($"api/tab/config.html?tenantId={TabBrowserFixture.Tenant}&teamId={Uri.EscapeDataString(TabBrowserFixture.Channel.TeamId)}&channelId={Uri.EscapeDataString(TabBrowserFixture.Channel.ChannelId)}").ToString();
        var page = await fixture.OpenAsync(url);

        var labels = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#choices label')].map(l => l.textContent)");
        var latest = await page.Locator("#content-url").TextContentAsync();
        await page.CheckAsync($"#choice-{fixture.Scenario.Id}");
        var pinned = await page.Locator("#content-url").TextContentAsync();

        Assert.Equal(["Latest release in this channel", "Release 4.0.0"], labels);
        Assert.EndsWith("/api/tab/index.html?latest=1", latest, StringComparison.Ordinal);
        Assert.EndsWith($"/api/tab/index.html?releaseId={fixture.Scenario.Id}", pinned, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_FramedOutsideTeams_FallsBackToDevelopmentModeAfterTimeout()
    {
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.Host.Url("api/health").ToString());

        await page.EvaluateAsync("src => { const f = document.createElement('iframe'); f.title = 'tab'; f.src = src; document.body.append(f); }", fixture.DashboardUrl(fixture.Scenario));
        var frame = await (await page.WaitForSelectorAsync("iframe"))!.ContentFrameAsync();
        await frame!.WaitForFunctionAsync("() => Number(document.body.dataset.renders || 0) >= 1", null, new FrameWaitForFunctionOptions { Timeout = 20000 });

        Assert.Equal("development", await frame.EvaluateAsync<string>("() => document.body.dataset.mode"));
        Assert.Equal("Release 4.0.0", await frame.Locator("h1").TextContentAsync());
    }
}
