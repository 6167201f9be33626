using System.Text.Json.Nodes;
using System.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using ReleaseTeamsApp.Closing;
using ReleaseTeamsApp.Functions.Tests.Cards;
using ReleaseTeamsApp.Functions.Tests.Tab;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Functions.Tests.Closing;

/// <summary>
/// The closing card's report buttons, end to end: the card rendered by the official renderer, its button clicked, the
/// Teams deep link it opens followed into the channel tab (the tab reads the sub-entity Teams hands over), and the tab's
/// download through the authenticated report route compared with the report stored at the close.
/// </summary>
public sealed class ClosingReportLinkTests(TabBrowserFixture tab, CardRendererFixture renderer) : IClassFixture<TabBrowserFixture>, IClassFixture<CardRendererFixture>
{
    private const string TeamsAppId = "0f4bd3e5-8d61-4c39-9d1a-6b0f0cbe2a77";

    private static readonly ChannelKey Channel = new(TabBrowserFixture.Tenant, "19:team-ui@thread.skype", "19:closing-ui@thread.tacv2");

    [Theory]
    [InlineData("Markdown report", "md", ReleaseReportFormat.Markdown)]
    [InlineData("CSV export", "csv", ReleaseReportFormat.Csv)]
    public async Task ReportButton_ClosedRelease_OpensTheTabThatDownloadsTheStoredReport(string button, string extension, ReleaseReportFormat format)
    {
        var seeded = await TabReleaseSeed.CreateAsync(tab.Host.Store, Channel, "4.7." + extension.Length);
        var closing = tab.Host.Services.GetRequiredService<ReleaseClosing>();
        var (_, closed) = await closing.CloseAsync(seeded.Id, Closer.AllSettled, null, null, CancellationToken.None);
        var stored = await tab.Host.Store.GetReportAsync(seeded.Id, format, CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(stored));
        var card = ReleaseReportCard.Build(closed, Closer.AllSettled, new ReleaseLinks(Options.Create(new TeamsAppOptions { AppId = TeamsAppId })));

        var rendered = await renderer.RenderAsync(card);
        var action = rendered.Actions.Single(a => a.Title == button);
        var opened = Assert.Single(await renderer.ClickAsync(action.Index));
        var link = new Uri(opened.Url!);
        Assert.Equal($"https://teams.microsoft.com/l/entity/{TeamsAppId}/latest", link.GetLeftPart(UriPartial.Path));
        var context = JsonNode.Parse(HttpUtility.ParseQueryString(link.Query)["context"]!)!;
        Assert.Equal(Channel.ChannelId, context["channelId"]!.GetValue<string>());

        // Teams opens the channel tab with the link's subEntityId as context.page.subPageId; outside Teams the tab takes it from the query.
        var subEntityId = context["subEntityId"]!.GetValue<string>();
        var page = await OpenTabAsync(subEntityId);
        var linked = page.Locator("#reports button.linked");
        Assert.Equal(1, await linked.CountAsync());
        var download = await page.RunAndWaitForDownloadAsync(() => linked.ClickAsync());
        var downloaded = await File.ReadAllTextAsync((await download.PathAsync())!);

        Assert.Equal($"release-{closed.Release.Version}-report.{extension}", download.SuggestedFilename);
        Assert.Equal(stored, downloaded);
        Assert.Contains("Downloaded", await page.Locator("#reports .report-status").TextContentAsync(), StringComparison.Ordinal);
    }

    private async Task<IPage> OpenTabAsync(string subEntityId)
    {
        var context = await tab.Browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(tab.Host.Url($"api/tab/index.html?tenantId={TabBrowserFixture.Tenant}&teamId={Uri.EscapeDataString(Channel.TeamId)}&channelId={Uri.EscapeDataString(Channel.ChannelId)}&subEntityId={Uri.EscapeDataString(subEntityId)}").ToString());
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.renders || 0) >= 1", null, new PageWaitForFunctionOptions { Timeout = 15000 });
        Assert.Empty(errors);
        Assert.False(await page.Locator("#reports").IsHiddenAsync());
        return page;
    }
}
