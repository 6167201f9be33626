using Azure;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Storage;

/// <summary>A release as read from storage: the release row and its items, with the ETags their next update must match.</summary>
public sealed class ReleaseState
{
    internal ReleaseState(Release release, ETag releaseETag, IReadOnlyList<ChecklistItem> items, IReadOnlyDictionary<string, ETag> itemETags, bool duplicate)
    {
        Release = release;
        ReleaseETag = releaseETag;
        Items = items;
        ItemETags = itemETags;
        IsDuplicate = duplicate;
    }

    /// <summary>A release not stored yet (its cards are posted before it is created).</summary>
    public static ReleaseState Draft(Release release, IReadOnlyList<ChecklistItem> items) =>
        new(release, default, items, new Dictionary<string, ETag>(), duplicate: false);

    public Release Release { get; }

    public IReadOnlyList<ChecklistItem> Items { get; }

    /// <summary>The idempotency key of this request was already applied (Teams delivered the same activity twice).</summary>
    public bool IsDuplicate { get; }

    internal ETag ReleaseETag { get; }

    internal IReadOnlyDictionary<string, ETag> ItemETags { get; }

    /// <summary>This state as it is after <paramref name="change"/> commits (for rebuilding cards without a re-read).</summary>
    public ReleaseState With(ReleaseChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var write = change.Write;
        if (write.Release is null && write.Items.Count == 0)
        {
            return this;
        }

        var written = write.Items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var items = Items.Select(i => written.GetValueOrDefault(i.Id) ?? i).ToList();
        items.AddRange(write.Items.Where(w => Items.All(i => i.Id != w.Id)));
        return new ReleaseState(write.Release ?? Release, ReleaseETag, items.OrderBy(i => i.Order).ToList(), ItemETags, IsDuplicate);
    }

    public ChecklistItem? Item(string itemId) => Items.FirstOrDefault(i => i.Id == itemId);

    public IEnumerable<ChecklistItem> Phase(string phaseId) => Items.Where(i => i.PhaseId == phaseId).OrderBy(i => i.Order);
}

public sealed record ReleaseSummary(string ReleaseId, string Version, string ChannelId, DateTimeOffset CreatedAt);

/// <summary>An item's due time from the due index.</summary>
/// <param name="TimeZoneId">The release's time zone as indexed (null for entries indexed before it was recorded): quiet hours and the day are known without reading the release.</param>
/// <param name="Roles">A stamp of the release's role holders when the entry was indexed: it changes when someone is assigned, so a day's ledger written before no longer counts.</param>
/// <param name="ChannelId">The release's channel as indexed: the sweep handles a channel's releases together (one message per person and day).</param>
public sealed record DueEntry(string ReleaseId, string ItemId, DateTimeOffset DueAt, string? TimeZoneId = null, string? Roles = null, string? ChannelId = null)
{
    /// <summary>An entry is the item at its due time; what the index knows besides does not make it another entry.</summary>
    public bool Equals(DueEntry? other) =>
        other is not null && ReleaseId == other.ReleaseId && ItemId == other.ItemId && DueAt == other.DueAt;

    public override int GetHashCode() => HashCode.Combine(ReleaseId, ItemId, DueAt);
}

/// <summary>The version is already taken in this channel.</summary>
internal sealed class ReleaseVersionTakenException(string version) : Exception($"Release {version} already exists in this channel.")
{
    public string Version { get; } = version;
}

/// <summary>The release's row would outgrow what Table Storage holds in one property; nothing was written.</summary>
internal sealed class ReleaseTooLargeException(string version, int characters)
    : Exception(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Release {version} would be {characters:N0} characters when stored; at most {ReleaseTeamsApp.Releases.TextLimits.ReleaseRowCharacters:N0} fit, so nothing was changed. Remove stakeholders or shorten the scope, or close the release and start a new one."))
{
    public string Version { get; } = version;
}

internal sealed class ReleaseNotFoundException(string releaseId) : Exception($"Release {releaseId} does not exist.")
{
    public string ReleaseId { get; } = releaseId;
}

/// <summary>
/// Releases in Table Storage: the release, its items and audit trail (one partition, changed in one transaction), the team
/// index that finds a release by channel and version, the due index the sweeps read, and the closing reports. Other tables
/// (conversations, sent-markers, outbox, templates, signals) belong to the features that own them, through <see cref="ReleaseTables"/>.
/// </summary>
public interface IReleaseStore
{
    /// <summary>Creates the release, all its items and the first audit row atomically; throws <see cref="ReleaseVersionTakenException"/>.</summary>
    Task CreateAsync(Release release, IReadOnlyList<ChecklistItem> items, AuditEvent created, CancellationToken cancellationToken);

    /// <summary>
    /// Claims <paramref name="version"/> in the channel for <paramref name="releaseId"/> before anything is posted (a conditional
    /// insert): of several identical commands at once exactly one gets true. A reservation whose release never got written
    /// is taken over after a short lease. <see cref="CreateAsync"/> of the same release id then uses the reservation.
    /// </summary>
    Task<bool> ReserveVersionAsync(ChannelKey channel, string version, string releaseId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives a reservation back (the thread could not be posted); only the reserving release's own.</summary>
    Task CancelReservationAsync(ChannelKey channel, string version, string releaseId, CancellationToken cancellationToken);

    Task<ReleaseState?> GetAsync(string releaseId, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the release (one query), lets <paramref name="decide"/> decide the change, and commits what it writes in one
    /// ETag-conditional transaction with its audit rows. On a concurrent write (412) it re-reads and decides again,
    /// so the person's intent is re-applied to fresh state. With an idempotency key, a repeat is reported as duplicate and writes nothing.
    /// Returns the change and the decision's result; <see cref="ReleaseStoreChanges.ChangeAsync"/> returns it with the state after it.
    /// </summary>
    /// <exception cref="ReleaseNotFoundException">No release has this id.</exception>
    Task<ReleaseChange<T>> UpdateAsync<T>(string releaseId, Func<ReleaseState, ReleaseChange<T>> decide, string? idempotencyKey, CancellationToken cancellationToken);

    Task<string?> FindIdAsync(ChannelKey channel, string version, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReleaseSummary>> ListAsync(string tenantId, string teamId, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEvent>> GetAuditAsync(string releaseId, CancellationToken cancellationToken);

    /// <summary>Index entries with a due time in [dueFrom, dueBefore): reads grow with the due rows, not with all items. Reading changes nothing.</summary>
    Task<IReadOnlyList<DueEntry>> GetDueAsync(DateTimeOffset dueFrom, DateTimeOffset dueBefore, CancellationToken cancellationToken);

    /// <summary>Removes an entry the caller found stale or handled (an entry re-indexed since it was read stays); an emptied index row goes with it.</summary>
    Task RemoveDueAsync(DueEntry entry, CancellationToken cancellationToken);

    /// <summary>Keeps the release's closing report (rows "report|md" / "report|csv" of its partition); a newer report replaces the older.</summary>
    Task SaveReportAsync(string releaseId, ReleaseReportFormat format, string content, CancellationToken cancellationToken);

    Task<string?> GetReportAsync(string releaseId, ReleaseReportFormat format, CancellationToken cancellationToken);
}

public enum ReleaseReportFormat
{
    Markdown,
    Csv,
}
