using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Tab;

public enum TeamAccess
{
    /// <summary>The caller is in the team's roster.</summary>
    Member,

    /// <summary>Not in the roster, or the team is unknown in the caller's tenant: answered like a missing resource.</summary>
    NotMember,

    /// <summary>Teams could not be asked (connector down): nothing is shown, the caller may try again.</summary>
    Unverified,
}

/// <summary>
/// Whether the caller of the tab API belongs to a team: the Teams roster of the team conversation the bot is installed
/// in (GET /v3/conversations/{team}/members/{Entra object id}), cached per tenant, team and user for a few minutes.
/// A token of the right tenant is not enough: guests and colleagues see only the teams they are in.
/// </summary>
public sealed class TeamMembership(ChannelRegistry channels, IReleaseStore store, IConnectorClient connector, TimeProvider time, ILogger<TeamMembership> logger)
{
    /// <summary>How long a roster answer is reused; someone removed from the team keeps access at most this long.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    private const int MaxCacheEntries = 10_000;
    private readonly ConcurrentDictionary<(string Tenant, string Team, string User), (bool Member, DateTimeOffset Until)> _cache = new();

    public async Task<TeamAccess> CheckAsync(TabCaller caller, string teamId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentException.ThrowIfNullOrEmpty(teamId);
        if (caller.IsDevelopment)
        {
            // The local bypass (refused at startup next to any real identity) has no user to look up.
            return TeamAccess.Member;
        }

        if (string.IsNullOrWhiteSpace(caller.UserObjectId))
        {
            return TeamAccess.NotMember;
        }

        var key = (caller.TenantId.ToUpperInvariant(), teamId, caller.UserObjectId);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.Member ? TeamAccess.Member : TeamAccess.NotMember;
        }

        if (await ServiceUrlAsync(caller.TenantId, teamId, cancellationToken) is not { } serviceUrl)
        {
            return TeamAccess.NotMember;
        }

        bool member;
        try
        {
            var account = await connector.GetConversationMemberAsync(serviceUrl, teamId, caller.UserObjectId, cancellationToken);
            member = string.IsNullOrEmpty(account.AadObjectId) || string.Equals(account.AadObjectId, caller.UserObjectId, StringComparison.OrdinalIgnoreCase);
        }
        catch (ConnectorException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden || ex.ErrorCode is "MemberNotFoundInConversation")
        {
            member = false;
        }
        catch (Exception ex) when (ex is ConnectorException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            TabLog.RosterLookupFailed(logger, ex, teamId);
            return TeamAccess.Unverified;
        }

        if (_cache.Count >= MaxCacheEntries)
        {
            _cache.Clear();
        }

        _cache[key] = (member, now + CacheFor);
        if (!member)
        {
            TabLog.NotMember(logger, caller.TenantId, teamId);
        }

        return member ? TeamAccess.Member : TeamAccess.NotMember;
    }

    /// <summary>
    /// Template uploads replace what every new release of the team starts from: the connector cannot tell team owners, so
    /// only the Release Managers of the team's releases and the person who installed the app in the team may upload.
    /// </summary>
    public async Task<bool> MayManageTemplatesAsync(TabCaller caller, string teamId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsDevelopment)
        {
            return true;
        }

        var oid = caller.UserObjectId;
        if (string.IsNullOrWhiteSpace(oid))
        {
            return false;
        }

        var installation = await channels.FindTeamAsync(caller.TenantId, teamId, cancellationToken);
        if (string.Equals(installation?.InstalledByAadObjectId, oid, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var summary in await store.ListAsync(caller.TenantId, teamId, cancellationToken))
        {
            if (await store.GetAsync(summary.ReleaseId, cancellationToken) is { } state
                && state.Release.Roles[ReleaseRole.ReleaseManager].Any(p => string.Equals(p.AadObjectId, oid, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The Teams service URL to ask about this team: its installation, else the thread of one of its releases.</summary>
    private async Task<string?> ServiceUrlAsync(string tenantId, string teamId, CancellationToken cancellationToken)
    {
        if (await channels.FindTeamAsync(tenantId, teamId, cancellationToken) is { ServiceUrl.Length: > 0 } installation)
        {
            return installation.ServiceUrl;
        }

        foreach (var summary in await store.ListAsync(tenantId, teamId, cancellationToken))
        {
            if (await store.GetAsync(summary.ReleaseId, cancellationToken) is { Release.Thread.ServiceUrl: { Length: > 0 } serviceUrl })
            {
                return serviceUrl;
            }
        }

        return null;
    }
}
