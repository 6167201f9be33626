using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Tab;

/// <summary>A release the configuration page offers to pin.</summary>
public sealed record TabReleaseSummary(string Id, string Version, string ChannelId, DateTimeOffset CreatedAt);

/// <summary>What the tab API answers: the value for a member of the team, else why not (404 or "try again").</summary>
public sealed record TabAnswer<T>(TeamAccess Access, T? Value)
    where T : class;

/// <summary>
/// The tab's queries, always scoped to the caller's tenant and to the teams the caller is a member of: another
/// tenant's or team's release reads as "not found", so the answer never tells whether it exists.
/// </summary>
public sealed class TabReleases(IReleaseStore store, TimeProvider time, IEnumerable<IReleaseDashboardSection> sections, TeamMembership membership)
{
    private const int MaxIdLength = 128;

    private static readonly TabAnswer<ReleaseDashboard> NotFound = new(TeamAccess.NotMember, null);

    public async Task<TabAnswer<IReadOnlyList<TabReleaseSummary>>> ListAsync(TabCaller caller, string? teamId, string? channelId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!IsKey(teamId) || (channelId is not null && !IsKey(channelId)))
        {
            return new TabAnswer<IReadOnlyList<TabReleaseSummary>>(TeamAccess.Member, []);
        }

        if (await membership.CheckAsync(caller, teamId!, cancellationToken) is not TeamAccess.Member and var access)
        {
            return new TabAnswer<IReadOnlyList<TabReleaseSummary>>(access, null);
        }

        var releases = await store.ListAsync(caller.TenantId, teamId!, cancellationToken);
        return new TabAnswer<IReadOnlyList<TabReleaseSummary>>(TeamAccess.Member, releases
            .Where(r => channelId is null || r.ChannelId == channelId)
            .OrderByDescending(r => r.CreatedAt)
            .Select(r => new TabReleaseSummary(r.ReleaseId, r.Version, r.ChannelId, r.CreatedAt))
            .ToList());
    }

    /// <summary>Not found when the release does not exist, belongs to another tenant or a team the caller is not in, or is not in the team/channel asked for.</summary>
    public async Task<TabAnswer<ReleaseDashboard>> GetAsync(TabCaller caller, string? releaseId, string? teamId, string? channelId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!IsKey(releaseId))
        {
            return NotFound;
        }

        var state = await store.GetAsync(releaseId!, cancellationToken);
        var channel = state?.Release.Channel;
        if (state is null
            || !string.Equals(channel!.TenantId, caller.TenantId, StringComparison.OrdinalIgnoreCase)
            || (!string.IsNullOrEmpty(teamId) && channel.TeamId != teamId)
            || (!string.IsNullOrEmpty(channelId) && channel.ChannelId != channelId))
        {
            return NotFound;
        }

        // The release's own team decides, whatever team the query names.
        if (await membership.CheckAsync(caller, channel.TeamId, cancellationToken) is not TeamAccess.Member and var access)
        {
            return new TabAnswer<ReleaseDashboard>(access, null);
        }

        var audit = await store.GetAuditAsync(state.Release.Id, cancellationToken);
        var dashboard = ReleaseDashboardBuilder.Build(state, audit, time.GetUtcNow());
        foreach (var section in sections)
        {
            dashboard = await section.AddToAsync(dashboard, state, cancellationToken);
        }

        return new TabAnswer<ReleaseDashboard>(TeamAccess.Member, dashboard);
    }

    /// <summary>The newest release of the channel: what a tab pinned as "latest release in this channel" shows.</summary>
    public async Task<TabAnswer<ReleaseDashboard>> GetLatestAsync(TabCaller caller, string? teamId, string? channelId, CancellationToken cancellationToken)
    {
        if (!IsKey(channelId))
        {
            return NotFound;
        }

        var releases = await ListAsync(caller, teamId, channelId, cancellationToken);
        if (releases.Value is not { } list)
        {
            return new TabAnswer<ReleaseDashboard>(releases.Access, null);
        }

        return list.Count == 0 ? NotFound : await GetAsync(caller, list[0].Id, teamId, channelId, cancellationToken);
    }

    private static bool IsKey(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= MaxIdLength && !value.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?');
}
