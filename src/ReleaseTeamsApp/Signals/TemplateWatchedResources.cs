using Azure;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Planning;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Signals;

/// <summary>
/// A new release follows the Azure resources its template's monitor.quiet items declare, as if the Release Manager had
/// said <c>watch</c> for each: alerts on them reach the release without anyone linking it.
/// </summary>
internal sealed class TemplateWatchedResources(SignalLinks links, TimeProvider time, ILogger<TemplateWatchedResources> logger) : IReleaseCreatedFollowUp
{
    public const string LinkedBy = "the checklist template";

    public async Task CreatedAsync(Release release, IReadOnlyList<ChecklistItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(items);
        var resources = items.SelectMany(i => i.Signal?.Resources ?? []).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var resource in resources)
        {
            try
            {
                await links.LinkAsync(new SignalLink(LinkKind.AzureResource, resource, release.Channel.TenantId, release.Channel.TeamId, release.Id, LinkedBy, time.GetUtcNow()), cancellationToken);
            }
            catch (RequestFailedException ex)
            {
                // The release stands; "links" shows what is watched and "watch" adds what is missing.
                SignalsLog.TemplateResourceNotWatched(logger, ex, release.Id, resource);
            }
        }
    }
}
