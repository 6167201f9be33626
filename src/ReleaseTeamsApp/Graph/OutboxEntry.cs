using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Graph;

public enum OutboxKind
{
    /// <summary>Create the retrospective calendar event with its Teams meeting (once per release).</summary>
    RetrospectiveEvent,

    /// <summary>PATCH the body of the already created retrospective event: no re-invite.</summary>
    RetrospectiveAgenda,

    AnnouncementMail,
}

public enum OutboxStatus
{
    Pending,

    /// <summary>Claimed by a worker; becomes due again when the lease runs out (the worker died).</summary>
    Sending,

    Sent,

    /// <summary>Recording mode: the request was stored on the entry, not sent.</summary>
    Recorded,

    Dead,
}

/// <summary>One Graph write in the Outbox table: partition = release id, row = idempotency key.</summary>
public sealed class OutboxRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string ReleaseId { get; set; } = "";

    public string Key { get; set; } = "";

    public string Kind { get; set; } = "";

    /// <summary>The request as JSON (see the payload records).</summary>
    public string Payload { get; set; } = "";

    public string Status { get; set; } = nameof(OutboxStatus.Pending);

    public int Attempts { get; set; }

    /// <summary>When the entry is due: the next retry, or the end of a worker's lease while Sending.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>JSON of <see cref="OutboxResult"/> once sent or recorded.</summary>
    public string? Result { get; set; }

    /// <summary>Recording mode: JSON of the HTTP requests that would have gone out.</summary>
    public string? Recording { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>
    /// Whether the release thread must hear about this entry (a booked retrospective, a dead entry): written with the
    /// outcome itself, so a crash between the outcome and the Teams post cannot lose the post. See <see cref="ThreadNotices"/>.
    /// </summary>
    public string? ThreadNotice { get; set; }

    /// <summary>A dispatcher's claim on posting the notice; another run may take it over once it has passed.</summary>
    public DateTimeOffset? ThreadNoticeClaimedUntil { get; set; }

    /// <summary>The row key of this entry's pointer in the due partition (while Pending or Sending), so the sweep reads only what is due.</summary>
    public string? DueKey { get; set; }

    /// <summary>Whether this entry has a pointer in the notice partition (while its thread notice is due).</summary>
    public bool NoticeIndexed { get; set; }

    internal OutboxKind KindValue => Enum.Parse<OutboxKind>(Kind);

    internal OutboxStatus StatusValue => Enum.Parse<OutboxStatus>(Status);
}

/// <summary>What a sent (or recorded) entry produced: the event id and Teams join link of a retrospective.</summary>
public sealed record OutboxResult(string? EventId = null, string? JoinUrl = null, string? WebLink = null, DateTimeOffset? Start = null, bool Recorded = false);

/// <summary>An outbox entry as the app reads it.</summary>
public sealed record OutboxEntry(
    string ReleaseId,
    string Key,
    OutboxKind Kind,
    OutboxStatus Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    OutboxResult? Result,
    IReadOnlyList<RecordedHttpRequest> Recording,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    internal static OutboxEntry From(OutboxRow row) => new(
        row.ReleaseId,
        row.Key,
        row.KindValue,
        row.StatusValue,
        row.Attempts,
        row.NextAttemptAt,
        row.LastError,
        row.Result is null ? null : StoredJson.Read<OutboxResult>(row.Result),
        row.Recording is null ? [] : StoredJson.Read<List<RecordedHttpRequest>>(row.Recording),
        row.CreatedAt,
        row.UpdatedAt);
}

/// <summary>An invitee of the retrospective.</summary>
public sealed record Invitee(string Email, string? Name);

/// <summary>The retrospective to create: Graph picks a free slot in [WindowStart, WindowEnd), else it starts at DefaultStart.</summary>
internal sealed record RetrospectivePayload(
    string Subject,
    string AgendaHtml,
    IReadOnlyList<Invitee> Attendees,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    DateTimeOffset DefaultStart,
    TimeSpan Duration,
    Guid TransactionId);

/// <summary>A new agenda for the retrospective created by the entry <see cref="EventKey"/>.</summary>
internal sealed record AgendaPayload(string EventKey, string AgendaHtml);

internal sealed record MailPayload(string Subject, string Html, IReadOnlyList<string> To);

/// <summary>Idempotency keys of outbox entries and the Graph transaction ids derived from them.</summary>
internal static class OutboxKeys
{
    /// <summary>A GUID that only depends on the key, so every retry of one entry carries the same Graph transactionId.</summary>
    public static Guid TransactionId(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("ReleaseTeamsApp.Outbox|" + key));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5-style (name-based)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    internal static string Partition(string releaseId) => TableKeys.Escape(releaseId);

    internal static string Row(string key) => TableKeys.Escape(key);
}

/// <summary>Values of <see cref="OutboxRow.ThreadNotice"/>.</summary>
internal static class ThreadNotices
{
    public const string Due = "Due";

    public const string Posted = "Posted";
}
