using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Teams;

internal static class ChannelReleases
{
    /// <summary>The releases of one channel that are not closed.</summary>
    public static async Task<IReadOnlyList<ReleaseState>> ActiveInChannelAsync(this IReleaseStore store, ChannelKey channel, CancellationToken cancellationToken)
    {
        var result = new List<ReleaseState>();
        foreach (var summary in await store.ListAsync(channel.TenantId, channel.TeamId, cancellationToken))
        {
            if (summary.ChannelId == channel.ChannelId && await store.GetAsync(summary.ReleaseId, cancellationToken) is { Release.Status: not ReleaseStatus.Closed } state)
            {
                result.Add(state);
            }
        }

        return result;
    }
}
