using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Signals;

/// <summary>What a release or a team is linked to.</summary>
public enum LinkKind
{
    GitHub,
    AzureDevOps,
    AzureResource,
}

/// <summary>One link: a release (or, as the default for its releases, a team) follows a repository, project or resource.</summary>
/// <param name="Target">owner/repo, org/project, or an Azure resource id, as the person wrote it.</param>
/// <param name="ReleaseId">Null for a team default.</param>
public sealed record SignalLink(LinkKind Kind, string Target, string TenantId, string TeamId, string? ReleaseId, string LinkedBy, DateTimeOffset LinkedAt);

/// <summary>
/// Links of releases and teams to GitHub repositories, Azure DevOps projects and Azure resources. Rows by target
/// (what a webhook looks up) and by owner (what <c>links</c> lists), written together.
/// </summary>
public sealed partial class SignalLinks(SignalTables tables, IReleaseStore store)
{
    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}/[^/\\#?%]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProjectPattern();

    public static bool IsRepository(string text) => RepositoryPattern().IsMatch(text);

    public static bool IsProject(string text) => ProjectPattern().IsMatch(text);


    public static string Prefix(LinkKind kind) => kind switch
    {
        LinkKind.GitHub => "github",
        LinkKind.AzureDevOps => "azure-devops",
        _ => "azure-resource",
    };

    public async Task LinkAsync(SignalLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        var owner = Owner(link.TenantId, link.TeamId, link.ReleaseId);
        var byTarget = Row(TargetPartition(link.Kind, link.Target), owner, link);
        var byOwner = Row(OwnerPartition(link.TenantId, link.TeamId, link.ReleaseId), TableKeys.Escape($"{Prefix(link.Kind)}|{link.Target.ToLowerInvariant()}"), link);
        await tables.Links.UpsertEntityAsync(byTarget, TableUpdateMode.Replace, cancellationToken);
        await tables.Links.UpsertEntityAsync(byOwner, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<bool> UnlinkAsync(LinkKind kind, string target, string tenantId, string teamId, string? releaseId, CancellationToken cancellationToken)
    {
        var removed = false;
        foreach (var (partition, row) in new[]
        {
            (TargetPartition(kind, target), Owner(tenantId, teamId, releaseId)),
            (OwnerPartition(tenantId, teamId, releaseId), TableKeys.Escape($"{Prefix(kind)}|{target.ToLowerInvariant()}")),
        })
        {
            try
            {
                await tables.Links.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
                removed = true;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Already gone.
            }
        }

        return removed;
    }

    /// <summary>The release's own links and its team's defaults.</summary>
    public async Task<(IReadOnlyList<SignalLink> Release, IReadOnlyList<SignalLink> Team)> ListAsync(Release release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        var own = await QueryAsync(OwnerPartition(release.Channel.TenantId, release.Channel.TeamId, release.Id), cancellationToken);
        var team = await QueryAsync(OwnerPartition(release.Channel.TenantId, release.Channel.TeamId, null), cancellationToken);
        return (own, team);
    }

    /// <summary>
    /// The releases a delivery about <paramref name="target"/> concerns: those linked to it, and the releases of teams
    /// that link it by default and have no link of that kind of their own. Closed releases are left out.
    /// </summary>
    public async Task<IReadOnlyList<ReleaseState>> ReleasesFollowingAsync(LinkKind kind, string target, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, ReleaseState>(StringComparer.Ordinal);
        foreach (var link in await QueryAsync(TargetPartition(kind, target), cancellationToken))
        {
            if (link.ReleaseId is { } releaseId)
            {
                if (!result.ContainsKey(releaseId) && await store.GetAsync(releaseId, cancellationToken) is { Release.Status: not ReleaseStatus.Closed } state)
                {
                    result[releaseId] = state;
                }

                continue;
            }

            foreach (var summary in await store.ListAsync(link.TenantId, link.TeamId, cancellationToken))
            {
                if (result.ContainsKey(summary.ReleaseId))
                {
                    continue;
                }

                var own = await QueryAsync(OwnerPartition(link.TenantId, link.TeamId, summary.ReleaseId), cancellationToken);
                if (own.Any(l => l.Kind == kind))
                {
                    continue;
                }

                if (await store.GetAsync(summary.ReleaseId, cancellationToken) is { Release.Status: not ReleaseStatus.Closed } state)
                {
                    result[summary.ReleaseId] = state;
                }
            }
        }

        return result.Values.ToList();
    }

    /// <summary>Every target of a kind anything links to (the reconciler walks them).</summary>
    public async Task<IReadOnlyList<string>> TargetsAsync(LinkKind kind, CancellationToken cancellationToken)
    {
        var prefix = TableKeys.Escape(Prefix(kind) + "|");
        var targets = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var row in tables.Links.QueryAsync<TableEntity>($"PartitionKey ge '{prefix}' and PartitionKey lt '{prefix}~'", select: ["Target"], cancellationToken: cancellationToken))
        {
            if (row.GetString("Target") is { } target)
            {
                targets.Add(target);
            }
        }

        return targets.ToList();
    }

    /// <summary>The repository (or project) a release follows: its own link, else its team's default.</summary>
    public async Task<string?> TargetOfAsync(Release release, LinkKind kind, CancellationToken cancellationToken)
    {
        var (own, team) = await ListAsync(release, cancellationToken);
        return (own.FirstOrDefault(l => l.Kind == kind) ?? team.FirstOrDefault(l => l.Kind == kind))?.Target;
    }

    private async Task<IReadOnlyList<SignalLink>> QueryAsync(string partition, CancellationToken cancellationToken)
    {
        var result = new List<SignalLink>();
        await foreach (var row in tables.Links.QueryAsync<TableEntity>($"PartitionKey eq '{TableKeys.Quote(partition)}'", cancellationToken: cancellationToken))
        {
            result.Add(new SignalLink(
                Enum.Parse<LinkKind>(row.GetString("Kind")!),
                row.GetString("Target")!,
                row.GetString("TenantId")!,
                row.GetString("TeamId")!,
                row.GetString("ReleaseId") is { Length: > 0 } id ? id : null,
                row.GetString("LinkedBy") ?? "",
                row.GetDateTimeOffset("LinkedAt") ?? default));
        }

        return result;
    }

    private static TableEntity Row(string partition, string row, SignalLink link) => new(partition, row)
    {
        ["Kind"] = link.Kind.ToString(),
        ["Target"] = link.Target,
        ["TenantId"] = link.TenantId,
        ["TeamId"] = link.TeamId,
        ["ReleaseId"] = link.ReleaseId ?? "",
        ["LinkedBy"] = link.LinkedBy,
        ["LinkedAt"] = link.LinkedAt,
    };

    private static string TargetPartition(LinkKind kind, string target) => TableKeys.Escape($"{Prefix(kind)}|{target.ToLowerInvariant()}");

    private static string Owner(string tenantId, string teamId, string? releaseId) =>
        TableKeys.Escape(releaseId is null ? $"team|{tenantId}|{teamId}" : $"release|{releaseId}");

    private static string OwnerPartition(string tenantId, string teamId, string? releaseId) => "of|" + Owner(tenantId, teamId, releaseId);
}
