using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Storage;

/// <summary>Releases in Azure Table Storage: one partition per release so an item change and its audit row commit together.</summary>
internal sealed class TableReleaseStore(ReleaseTables tables) : IReleaseStore
{
    private const int MaxAttempts = 25;

    /// <summary>How long a version reservation without a release holds before another creator may take it over (its creator died).</summary>
    internal static readonly TimeSpan ReservationLease = TimeSpan.FromMinutes(2);
    private const int ReportChunk = 30_000;

    private static readonly string ReleaseKind = "release";
    private static readonly string ItemKind = "item";
    private static readonly string AuditKind = "audit";
    private static readonly string DedupeKind = "dedupe";

    private const string DueReleaseProperty = "ReleaseId";
    private const string DueTimeZoneProperty = "TimeZone";
    private const string DueRolesProperty = "Roles";
    private const string DueChannelProperty = "Channel";
    private const string DueItemPrefix = "d_";

    /// <summary>A removed column of a due-index row (a merge cannot delete a column).</summary>
    private const long RemovedDue = 0;
    private static readonly string ReportKind = "report";

    public async Task CreateAsync(Release release, IReadOnlyList<ChecklistItem> items, AuditEvent created, CancellationToken cancellationToken)
    {
        var releaseRow = Row(release);
        await tables.EnsureCreatedAsync();
        var indexRow = new ReleaseIndexRow
        {
            PartitionKey = TeamPartition(release.Channel.TenantId, release.Channel.TeamId),
            RowKey = VersionRow(release.Channel.ChannelId, release.Version),
            ReleaseId = release.Id,
            Version = release.Version,
            ChannelId = release.Channel.ChannelId,
            CreatedAt = release.CreatedAt,
        };
        try
        {
            await tables.ReleaseIndex.AddEntityAsync(indexRow, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Taken, unless this release reserved the version itself (see ReserveVersionAsync).
            var reserved = await tables.ReleaseIndex.GetEntityIfExistsAsync<ReleaseIndexRow>(indexRow.PartitionKey, indexRow.RowKey, cancellationToken: cancellationToken);
            if (!reserved.HasValue || reserved.Value!.ReleaseId != release.Id)
            {
                throw new ReleaseVersionTakenException(release.Version);
            }
        }

        // The due index is written first: a stale entry is harmless (the sweep checks the item), a missing one is a lost reminder.
        await IndexDueTimesAsync(release, items, cancellationToken);

        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Add, releaseRow),
            new(TableTransactionActionType.Add, Row(created)),
        };
        actions.AddRange(items.Select(i => new TableTransactionAction(TableTransactionActionType.Add, Row(release.Id, i))));
        try
        {
            await tables.Releases.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch
        {
            await tables.ReleaseIndex.DeleteEntityAsync(indexRow.PartitionKey, indexRow.RowKey, ETag.All, CancellationToken.None);
            throw;
        }
    }

    public async Task<bool> ReserveVersionAsync(ChannelKey channel, string version, string releaseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var row = new ReleaseIndexRow
        {
            PartitionKey = TeamPartition(channel.TenantId, channel.TeamId),
            RowKey = VersionRow(channel.ChannelId, version),
            ReleaseId = releaseId,
            Version = version,
            ChannelId = channel.ChannelId,
            CreatedAt = now,
        };
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

        if (holder.CreatedAt > now - ReservationLease || await GetAsync(holder.ReleaseId, cancellationToken) is not null)
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

    public async Task<ReleaseState?> GetAsync(string releaseId, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        return await ReadAsync(releaseId, null, cancellationToken);
    }

    public async Task<T> UpdateAsync<T>(string releaseId, Func<ReleaseState, Decision<T>> decide, string? idempotencyKey, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        for (var attempt = 1; ; attempt++)
        {
            var state = await ReadAsync(releaseId, idempotencyKey, cancellationToken) ?? throw new ReleaseNotFoundException(releaseId);
            var decision = decide(state);
            if (state.IsDuplicate || decision.Write.IsEmpty)
            {
                return decision.Result;
            }

            try
            {
                await CommitAsync(state, decision.Write, idempotencyKey, cancellationToken);
                return decision.Result;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 && attempt < MaxAttempts)
            {
                // Someone else changed the same rows first (412) or the same request just committed (409 on its marker): decide again on fresh state.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * Math.Min(attempt, 5))), cancellationToken);
            }
        }
    }

    public async Task<string?> FindIdAsync(ChannelKey channel, string version, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var row = await tables.ReleaseIndex.GetEntityIfExistsAsync<ReleaseIndexRow>(
            TeamPartition(channel.TenantId, channel.TeamId), VersionRow(channel.ChannelId, version), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.ReleaseId : null;
    }

    public async Task<IReadOnlyList<ReleaseSummary>> ListAsync(string tenantId, string teamId, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var partition = TableKeys.Quote(TeamPartition(tenantId, teamId));
        var result = new List<ReleaseSummary>();
        await foreach (var row in tables.ReleaseIndex.QueryAsync<ReleaseIndexRow>($"PartitionKey eq '{partition}' and RowKey ge 'v|' and RowKey lt 'v}}'", cancellationToken: cancellationToken))
        {
            result.Add(new ReleaseSummary(row.ReleaseId, row.Version, row.ChannelId, row.CreatedAt));
        }

        return result.OrderBy(r => r.CreatedAt).ToList();
    }

    public async Task<IReadOnlyList<AuditEvent>> GetAuditAsync(string releaseId, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var result = new List<AuditEvent>();
        var filter = $"PartitionKey eq '{TableKeys.Quote(releaseId)}' and RowKey ge '{TableKeys.AuditPrefix}' and RowKey lt 'audit}}'";
        await foreach (var row in tables.Releases.QueryAsync<ReleaseRow>(filter, cancellationToken: cancellationToken))
        {
            result.Add(StoredJson.Read<AuditEvent>(row.Data));
        }

        return result;
    }

    public async Task<IReadOnlyList<DueEntry>> GetDueAsync(DateTimeOffset dueFrom, DateTimeOffset dueBefore, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var filter = $"PartitionKey ge '{Bucket(dueFrom)}' and PartitionKey le '{Bucket(dueBefore)}'";
        var result = new List<DueEntry>();
        await foreach (var row in tables.DueIndex.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var releaseId = row.GetString(DueReleaseProperty);
            var zone = row.GetString(DueTimeZoneProperty);
            var roles = row.GetString(DueRolesProperty);
            var channel = row.GetString(DueChannelProperty);
            var live = 0;
            foreach (var (name, value) in row)
            {
                if (!name.StartsWith(DueItemPrefix, StringComparison.Ordinal) || value is not long ticks || ticks == RemovedDue)
                {
                    continue;
                }

                live++;
                var dueAt = new DateTimeOffset(ticks, TimeSpan.Zero);
                if (dueAt >= dueFrom && dueAt < dueBefore)
                {
                    result.Add(new DueEntry(releaseId, ItemIdOf(name), dueAt, zone, roles, channel));
                }
            }

            if (live == 0)
            {
                await DeleteEmptyDueRowAsync(row, cancellationToken);
            }
        }

        return result;
    }

    public async Task RemoveDueAsync(DueEntry entry, CancellationToken cancellationToken)
    {
        var partition = Bucket(entry.DueAt);
        var property = DueProperty(entry.ItemId);
        var row = await tables.DueIndex.GetEntityIfExistsAsync<TableEntity>(partition, TableKeys.Escape(entry.ReleaseId), [property], cancellationToken);
        if (!row.HasValue || row.Value!.GetInt64(property) != entry.DueAt.UtcTicks)
        {
            // Already gone, or the item was re-indexed in the same hour since it was read: keep the newer entry.
            return;
        }

        try
        {
            var removal = new TableEntity(partition, TableKeys.Escape(entry.ReleaseId)) { [property] = RemovedDue };
            await tables.DueIndex.UpdateEntityAsync(removal, row.Value.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Someone changed the row since: their write is newer than this removal.
        }
    }

    public async Task SaveReportAsync(string releaseId, ReleaseReportFormat format, string content, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();

        // A string property holds 32K characters, so a long report spans Data0…DataN (an entity holds up to 1 MiB).
        var row = new TableEntity(releaseId, ReportRow(format)) { ["Kind"] = ReportKind };
        var chunks = content.Chunk(ReportChunk).Select(c => new string(c)).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            row[string.Create(CultureInfo.InvariantCulture, $"Data{i}")] = chunks[i];
        }

        row["Chunks"] = chunks.Count;

        // The report is derived from the release's rows, so the newest one wins; it is not shared state anyone edits.
        await tables.Releases.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<string?> GetReportAsync(string releaseId, ReleaseReportFormat format, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var found = await tables.Releases.GetEntityIfExistsAsync<TableEntity>(releaseId, ReportRow(format), cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }

        var row = found.Value!;
        var count = row.GetInt32("Chunks") ?? 0;
        return string.Concat(Enumerable.Range(0, count).Select(i => row.GetString(string.Create(CultureInfo.InvariantCulture, $"Data{i}"))));
    }

    private static string ReportRow(ReleaseReportFormat format) => format == ReleaseReportFormat.Csv ? "report|csv" : "report|md";

    private async Task<ReleaseState?> ReadAsync(string releaseId, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Quote(releaseId);
        var filter = $"PartitionKey eq '{partition}' and ((RowKey ge '{TableKeys.ItemPrefix}' and RowKey le '{TableKeys.ReleaseRow}')";
        filter += idempotencyKey is null ? ")" : $" or RowKey eq '{TableKeys.Quote(TableKeys.Dedupe(idempotencyKey))}')";

        Release? release = null;
        var releaseETag = default(ETag);
        var items = new List<ChecklistItem>();
        var etags = new Dictionary<string, ETag>(StringComparer.Ordinal);
        var duplicate = false;
        await foreach (var row in tables.Releases.QueryAsync<ReleaseRow>(filter, cancellationToken: cancellationToken))
        {
            if (row.Kind == ReleaseKind)
            {
                release = StoredJson.Read<Release>(row.Data);
                releaseETag = row.ETag;
            }
            else if (row.Kind == ItemKind)
            {
                var item = StoredJson.Read<ChecklistItem>(row.Data);
                items.Add(item);
                etags[item.Id] = row.ETag;
            }
            else if (row.Kind == DedupeKind)
            {
                duplicate = true;
            }
        }

        return release is null ? null : new ReleaseState(release, releaseETag, items.OrderBy(i => i.Order).ToList(), etags, duplicate);
    }

    private async Task CommitAsync(ReleaseState state, ReleaseWrite write, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var releaseId = state.Release.Id;
        var actions = new List<TableTransactionAction>();
        if (write.Release is { } release)
        {
            actions.Add(new(TableTransactionActionType.UpdateReplace, Row(release), state.ReleaseETag));
        }

        foreach (var item in write.Items)
        {
            actions.Add(state.ItemETags.TryGetValue(item.Id, out var etag)
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, Row(releaseId, item), etag)
                : new TableTransactionAction(TableTransactionActionType.Add, Row(releaseId, item)));
        }

        actions.AddRange(write.Audit.Select(a => new TableTransactionAction(TableTransactionActionType.Add, Row(a))));
        if (idempotencyKey is not null)
        {
            actions.Add(new(TableTransactionActionType.Add, new ReleaseRow { PartitionKey = releaseId, RowKey = TableKeys.Dedupe(idempotencyKey), Kind = DedupeKind, Data = "{}" }));
        }

        // New due-index entries go in before the items move: a crash in between leaves a stale entry (the sweep drops it),
        // never an item due at a time no entry points to. The old entries are removed by the sweep once they are stale.
        // A reopened item counts as moved: the sweep removed its entry when it was settled.
        var moved = write.Items.Where(i => i.DueAt is not null && !i.IsSettled && (i.DueAt != state.Item(i.Id)?.DueAt || state.Item(i.Id)?.IsSettled != false)).ToList();
        var after = write.Release ?? state.Release;
        if (RolesStamp(after) != RolesStamp(state.Release))
        {
            // Someone was (un)assigned or reminders were (un)muted: every open item is indexed again with the new stamp, so the sweep reads the release
            // again today instead of trusting a ledger written for the people who held the roles before.
            var written = write.Items.ToDictionary(i => i.Id, StringComparer.Ordinal);
            moved = state.Items.Select(i => written.GetValueOrDefault(i.Id) ?? i).Concat(write.Items.Where(i => state.Item(i.Id) is null))
                .Where(i => i.DueAt is not null && !i.IsSettled).ToList();
        }

        if (moved.Count > 0)
        {
            await IndexDueTimesAsync(after, moved, cancellationToken);
        }

        await tables.Releases.SubmitTransactionAsync(actions, cancellationToken);
    }

    /// <summary>
    /// One index row per release and UTC hour, one column per due item (its due ticks): the sweep reads a row per
    /// release-hour, not per item. Merge writes need no read, so concurrent indexing of one release never conflicts.
    /// </summary>
    private async Task IndexDueTimesAsync(Release release, IEnumerable<ChecklistItem> items, CancellationToken cancellationToken)
    {
        var stamp = RolesStamp(release);
        foreach (var bucket in items.Where(i => i.DueAt is not null && !i.IsSettled).GroupBy(i => Bucket(i.DueAt!.Value)))
        {
            var row = new TableEntity(bucket.Key, TableKeys.Escape(release.Id))
            {
                [DueReleaseProperty] = release.Id,
                [DueTimeZoneProperty] = release.TimeZoneId,
                [DueRolesProperty] = stamp,
                [DueChannelProperty] = release.Channel.ChannelId,
            };
            foreach (var item in bucket)
            {
                row[DueProperty(item.Id)] = item.DueAt!.Value.UtcTicks;
            }

            await tables.DueIndex.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
        }
    }

    private async Task DeleteEmptyDueRowAsync(TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await tables.DueIndex.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Re-indexed or removed meanwhile: nothing to clean.
        }
    }

    // Item ids are slugs ([a-z0-9-]); a column name cannot hold '-', so it becomes '_' (which slugs never contain).
    private static string DueProperty(string itemId) => DueItemPrefix + itemId.Replace('-', '_');

    private static string ItemIdOf(string property) => property[DueItemPrefix.Length..].Replace('_', '-');

    /// <summary>Who holds which role and whether reminders are muted, as a short hash: equal stamps mean the same people hear about the same items.</summary>
    private static string RolesStamp(Release release)
    {
        var holders = string.Join(";", release.Roles.Holders.OrderBy(h => h.Key).Select(h => $"{h.Key}={string.Join(",", h.Value.Select(p => p.Id).Order(StringComparer.Ordinal))}"))
            + (release.RemindersMuted ? ";muted" : "");
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(holders)))[..12];
    }

    private static string Bucket(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    private static string TeamPartition(string tenantId, string teamId) => TableKeys.Escape($"{tenantId}|{teamId}");

    private static string VersionRow(string channelId, string version) => TableKeys.Escape($"v|{channelId}|{version.ToLowerInvariant()}");

    private static ReleaseRow Row(Release release)
    {
        // Past Table Storage's 64 KiB per property every later write would fail: refuse this change instead, and keep the release working.
        var data = StoredJson.Write(release);
        if (data.Length > TextLimits.ReleaseRowCharacters)
        {
            throw new ReleaseTooLargeException(release.Version, data.Length);
        }

        return new()
        {
            PartitionKey = release.Id,
            RowKey = TableKeys.ReleaseRow,
            Kind = ReleaseKind,
            Data = data,
            Status = release.Status.ToString(),
        };
    }

    private static ReleaseRow Row(string releaseId, ChecklistItem item) => new()
    {
        PartitionKey = releaseId,
        RowKey = TableKeys.Item(item.Id),
        Kind = ItemKind,
        Data = StoredJson.Write(item),
        Status = item.Status.ToString(),
        DueAt = item.DueAt,
    };

    private static ReleaseRow Row(AuditEvent audit) => new()
    {
        PartitionKey = audit.ReleaseId,
        RowKey = TableKeys.Audit(audit.At),
        Kind = AuditKind,
        Data = StoredJson.Write(audit),
    };
}
