using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Teams;

/// <summary>Where the cards link to (section "TeamsApp"): the Teams app's id and its channel tab's entity id, for deep links.</summary>
public sealed class TeamsAppOptions
{
    public const string Section = "TeamsApp";

    /// <summary>The Teams app id (manifest "id", TEAMS_APP_ID); without it the cards carry no Open dashboard link.</summary>
    public string? AppId { get; set; }

    /// <summary>The entity id the tab's configuration page saves ("latest" for the channel's latest release).</summary>
    public string TabEntityId { get; set; } = "latest";
}

/// <summary>Links from the cards to the channel tab (Teams deep links with the release as the sub-entity).</summary>
public sealed class ReleaseLinks(IOptions<TeamsAppOptions> options)
{
    /// <summary>
    /// https://teams.microsoft.com/l/entity/{appId}/{entityId}?label=…&amp;context={"subEntityId":"{release}","channelId":"{channel}"}:
    /// Teams opens the tab in the release's channel and hands the release id to the tab as its subPageId. Null without an app id.
    /// </summary>
    public string? Dashboard(Release release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return Tab(release, release.Id, "Release " + release.Version);
    }

    /// <summary>
    /// The channel tab opened on one of the release's stored files ("report.md", "report.csv"): the tab downloads it through
    /// the API with the viewer's Teams sign-in (a plain link to the API would reach the browser without one). Null without an app id.
    /// </summary>
    public string? TabFile(Release release, string file)
    {
        ArgumentNullException.ThrowIfNull(release);
        return Tab(release, $"{release.Id}/{file}", $"Release {release.Version} {file}");
    }

    private string? Tab(Release release, string subEntityId, string label)
    {
        var app = options.Value.AppId;
        if (string.IsNullOrWhiteSpace(app))
        {
            return null;
        }

        var context = System.Text.Json.JsonSerializer.Serialize(new DeepLinkContext(subEntityId, release.Channel.ChannelId));
        return $"https://teams.microsoft.com/l/entity/{Uri.EscapeDataString(app.Trim())}/{Uri.EscapeDataString(options.Value.TabEntityId)}"
            + $"?label={Uri.EscapeDataString(label)}&context={Uri.EscapeDataString(context)}";
    }

    /// <summary>The context of a Teams deep link to the channel tab: the tab's sub-entity and the channel it is in.</summary>
    private sealed record DeepLinkContext(
        [property: JsonPropertyName("subEntityId")] string SubEntityId,
        [property: JsonPropertyName("channelId")] string ChannelId);
}
