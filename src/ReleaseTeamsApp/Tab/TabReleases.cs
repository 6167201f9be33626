using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Tab;

/// <summary>A release the configuration page offers to pin.</summary>
public sealed record TabReleaseSummary(string Id, string Version, string ChannelId, DateTimeOffset CreatedAt);

/// <summary>
/// The tab's queries, always scoped to the caller's tenant: another tenant's release reads as "not found",
/// so the answer never tells whether it exists.
/// </summary>
public sealed class TabReleases(IReleaseStore store, TimeProvider time, IEnumerable<IReleaseDashboardSection> sections)
{
    private const int MaxIdLength = 128;

    public async Task<IReadOnlyList<TabReleaseSummary>> ListAsync(TabCaller caller, string? teamId, string? channelId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!IsKey(teamId) || (channelId is not null && !IsKey(channelId)))
        {
            return [];
        }

        var releases = await store.ListAsync(caller.TenantId, teamId!, cancellationToken);
        return releases
            .Where(r => channelId is null || r.ChannelId == channelId)
            .OrderByDescending(r => r.CreatedAt)
            .Select(r => new TabReleaseSummary(r.ReleaseId, r.Version, r.ChannelId, r.CreatedAt))
            .ToList();
    }

    /// <summary>Null when the release does not exist, belongs to another tenant, or is not in the team/channel asked for.</summary>
    public async Task<ReleaseDashboard?> GetAsync(TabCaller caller, string? releaseId, string? teamId, string? channelId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!IsKey(releaseId))
        {
            return null;
        }

        var state = await store.GetAsync(releaseId!, cancellationToken);
        var channel = state?.Release.Channel;
        if (state is null
            || !string.Equals(channel!.TenantId, caller.TenantId, StringComparison.OrdinalIgnoreCase)
            || (!string.IsNullOrEmpty(teamId) && channel.TeamId != teamId)
            || (!string.IsNullOrEmpty(channelId) && channel.ChannelId != channelId))
        {
            return null;
        }

        var audit = await store.GetAuditAsync(state.Release.Id, cancellationToken);
        var dashboard = ReleaseDashboardBuilder.Build(state, audit, time.GetUtcNow());
        foreach (var section in sections)
        {
            dashboard = await section.AddToAsync(dashboard, state, cancellationToken);
        }

        return dashboard;
    }

    /// <summary>The newest release of the channel: what a tab pinned as "latest release in this channel" shows.</summary>
    public async Task<ReleaseDashboard?> GetLatestAsync(TabCaller caller, string? teamId, string? channelId, CancellationToken cancellationToken)
    {
        if (!IsKey(channelId))
        {
            return null;
        }

        var releases = await ListAsync(caller, teamId, channelId, cancellationToken);
        return releases.Count == 0 ? null : await GetAsync(caller, releases[0].Id, teamId, channelId, cancellationToken);
    }

    private static bool IsKey(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= MaxIdLength && !value.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?');
}
