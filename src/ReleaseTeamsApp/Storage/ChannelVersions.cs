using Azure;
using Azure.Data.Tables;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Storage;

/// <summary>
/// The team index: releases by team (partition) and by channel + version (row "v|channel|version"), so commands find a
/// release by its version and a version is taken once per channel.
/// </summary>
internal sealed class ChannelVersions(ReleaseTables tables)
{
    /// <summary>How long a version reservation without a release holds before another creator may take it over (its creator died).</summary>
    internal static readonly TimeSpan ReservationLease = TimeSpan.FromMinutes(2);

    /// <summary>Claims the release's version in its channel, or finds it claimed by this release's own reservation; throws <see cref="ReleaseVersionTakenException"/>.</summary>
    public async Task<ReleaseIndexRow> ClaimAsync(Release release, CancellationToken cancellationToken)
    {
        var row = Row(release.Channel, release.Version, release.Id, release.CreatedAt);
        try
        {
            await tables.ReleaseIndex.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Taken, unless this release reserved the version itself (see ReserveAsync).
            var reserved = await tables.ReleaseIndex.GetEntityIfExistsAsync<ReleaseIndexRow>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
            if (!reserved.HasValue || reserved.Value!.ReleaseId != release.Id)
            {
                throw new ReleaseVersionTakenException(release.Version);
            }
        }

        return row;
    }

    /// <summary>Gives a claim back whatever its state (the release could not be written).</summary>
    public Task ForgetAsync(ReleaseIndexRow row) =>
        tables.ReleaseIndex.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, CancellationToken.None);

    public async Task<bool> ReserveAsync(ChannelKey channel, string version, string releaseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = Row(channel, version, releaseId, now);
        try
        {
            await tables.ReleaseIndex.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Someone holds the version: a release, or a reservation whose creator is still posting its thread (or died doing so).
        }

        var held = await tables.ReleaseIndex.GetEntityIfExistsAsync<ReleaseIndexRow>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
        if (!held.HasValue)
        {
            return false;
        }

        var holder = held.Value!;
        if (holder.ReleaseId == releaseId)
        {
            return true;
        }

        if (holder.CreatedAt > now - ReservationLease || await ExistsAsync(holder.ReleaseId, cancellationToken))
        {
            return false;
        }

        // A reservation whose creator died before the release was written: take it over, unless someone else just did.
        try
        {
            await tables.ReleaseIndex.UpdateEntityAsync(row, holder.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task CancelReservationAsync(ChannelKey channel, string version, string releaseId, CancellationToken cancellationToken)
    {
        var partition = TeamPartition(channel.TenantId, channel.TeamId);
        var rowKey = VersionRow(channel.ChannelId, version);
        var held = await tables.ReleaseIndex.GetEntityIfExistsAsync<ReleaseIndexRow>(partition, rowKey, cancellationToken: cancellationToken);
        if (!held.HasValue || held.Value!.ReleaseId != releaseId)
        {
            return;
        }

        try
        {
            await tables.ReleaseIndex.DeleteEntityAsync(partition, rowKey, held.Value.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Gone or taken over meanwhile: not ours to remove any more.
        }
    }

    public async Task<string?> FindIdAsync(ChannelKey channel, string version, CancellationToken cancellationToken)
    {
        var row = await tables.ReleaseIndex.GetEntityIfExistsAsync<ReleaseIndexRow>(
            TeamPartition(channel.TenantId, channel.TeamId), VersionRow(channel.ChannelId, version), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.ReleaseId : null;
    }

    public async Task<IReadOnlyList<ReleaseSummary>> ListAsync(string tenantId, string teamId, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Quote(TeamPartition(tenantId, teamId));
        var result = new List<ReleaseSummary>();
        await foreach (var row in tables.ReleaseIndex.QueryAsync<ReleaseIndexRow>($"PartitionKey eq '{partition}' and RowKey ge 'v|' and RowKey lt 'v}}'", cancellationToken: cancellationToken))
        {
            result.Add(new ReleaseSummary(row.ReleaseId, row.Version, row.ChannelId, row.CreatedAt));
        }

        return result.OrderBy(r => r.CreatedAt).ToList();
    }

    /// <summary>Whether the release row exists (one point read; the reservation's creator may have died before writing it).</summary>
    private async Task<bool> ExistsAsync(string releaseId, CancellationToken cancellationToken) =>
        (await tables.Releases.GetEntityIfExistsAsync<ReleaseRow>(releaseId, TableKeys.ReleaseRow, ["RowKey"], cancellationToken)).HasValue;

    private static ReleaseIndexRow Row(ChannelKey channel, string version, string releaseId, DateTimeOffset at) => new()
    {
        PartitionKey = TeamPartition(channel.TenantId, channel.TeamId),
        RowKey = VersionRow(channel.ChannelId, version),
        ReleaseId = releaseId,
        Version = version,
        ChannelId = channel.ChannelId,
        CreatedAt = at,
    };

    private static string TeamPartition(string tenantId, string teamId) => TableKeys.Escape($"{tenantId}|{teamId}");

    private static string VersionRow(string channelId, string version) => TableKeys.Escape($"v|{channelId}|{version.ToLowerInvariant()}");
}
