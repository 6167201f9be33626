using Azure;
using Azure.Data.Tables;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Storage;

/// <summary>
/// Releases in Azure Table Storage: one partition per release so an item change and its audit row commit together. The
/// team index (<see cref="ChannelVersions"/>), the due index (<see cref="DueIndex"/>) and the closing reports
/// (<see cref="ReleaseReports"/>) are their own classes; this one keeps the order in which they are written.
/// </summary>
internal sealed class TableReleaseStore(ReleaseTables tables) : IReleaseStore
{
    private const int MaxAttempts = 25;

    private static readonly string ReleaseKind = "release";
    private static readonly string ItemKind = "item";
    private static readonly string AuditKind = "audit";
    private static readonly string DedupeKind = "dedupe";

    private readonly ChannelVersions _versions = new(tables);
    private readonly DueIndex _due = new(tables);
    private readonly ReleaseReports _reports = new(tables);

    public async Task CreateAsync(Release release, IReadOnlyList<ChecklistItem> items, AuditEvent created, CancellationToken cancellationToken)
    {
        var releaseRow = Row(release);
        var claim = await _versions.ClaimAsync(release, cancellationToken);

        // The due index is written first: a stale entry is harmless (the sweep checks the item), a missing one is a lost reminder.
        await _due.IndexAsync(release, items, cancellationToken);

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
            await _versions.ForgetAsync(claim);
            throw;
        }
    }

    public Task<bool> ReserveVersionAsync(ChannelKey channel, string version, string releaseId, DateTimeOffset now, CancellationToken cancellationToken) =>
        _versions.ReserveAsync(channel, version, releaseId, now, cancellationToken);

    public Task CancelReservationAsync(ChannelKey channel, string version, string releaseId, CancellationToken cancellationToken) =>
        _versions.CancelReservationAsync(channel, version, releaseId, cancellationToken);

    public Task<ReleaseState?> GetAsync(string releaseId, CancellationToken cancellationToken) => ReadAsync(releaseId, null, cancellationToken);

    public async Task<ReleaseChange<T>> UpdateAsync<T>(string releaseId, Func<ReleaseState, ReleaseChange<T>> decide, string? idempotencyKey, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var state = await ReadAsync(releaseId, idempotencyKey, cancellationToken) ?? throw new ReleaseNotFoundException(releaseId);
            var decision = decide(state);
            if (state.IsDuplicate || decision.Change.Write.IsEmpty)
            {
                return decision;
            }

            try
            {
                await CommitAsync(state, decision.Change.Write, idempotencyKey, cancellationToken);
                return decision;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 && attempt < MaxAttempts)
            {
                // Someone else changed the same rows first (412) or the same request just committed (409 on its marker): decide again on fresh state.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * Math.Min(attempt, 5))), cancellationToken);
            }
        }
    }

    public Task<string?> FindIdAsync(ChannelKey channel, string version, CancellationToken cancellationToken) =>
        _versions.FindIdAsync(channel, version, cancellationToken);

    public Task<IReadOnlyList<ReleaseSummary>> ListAsync(string tenantId, string teamId, CancellationToken cancellationToken) =>
        _versions.ListAsync(tenantId, teamId, cancellationToken);

    public async Task<IReadOnlyList<AuditEvent>> GetAuditAsync(string releaseId, CancellationToken cancellationToken)
    {
        var result = new List<AuditEvent>();
        var filter = $"PartitionKey eq '{TableKeys.Quote(releaseId)}' and RowKey ge '{TableKeys.AuditPrefix}' and RowKey lt 'audit}}'";
        await foreach (var row in tables.Releases.QueryAsync<ReleaseRow>(filter, cancellationToken: cancellationToken))
        {
            result.Add(StoredJson.Read<AuditEvent>(row.Data));
        }

        return result;
    }

    public Task<IReadOnlyList<DueEntry>> GetDueAsync(DateTimeOffset dueFrom, DateTimeOffset dueBefore, CancellationToken cancellationToken) =>
        _due.ReadAsync(dueFrom, dueBefore, cancellationToken);

    public Task RemoveDueAsync(DueEntry entry, CancellationToken cancellationToken) => _due.RemoveAsync(entry, cancellationToken);

    public Task SaveReportAsync(string releaseId, ReleaseReportFormat format, string content, CancellationToken cancellationToken) =>
        _reports.SaveAsync(releaseId, format, content, cancellationToken);

    public Task<string?> GetReportAsync(string releaseId, ReleaseReportFormat format, CancellationToken cancellationToken) =>
        _reports.GetAsync(releaseId, format, cancellationToken);

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
        var moved = DueIndex.ToIndex(state, write);
        if (moved.Count > 0)
        {
            await _due.IndexAsync(write.Release ?? state.Release, moved, cancellationToken);
        }

        await tables.Releases.SubmitTransactionAsync(actions, cancellationToken);
    }

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
