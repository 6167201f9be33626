using Azure;
using Azure.Data.Tables;

namespace ReleaseTeamsApp.Reminders;

internal enum SentMarkerState
{
    Claimed,
    Sent,
    Abandoned,
}

/// <summary>One reminder or follow-up that is being sent or was sent: partition = release, row = what was sent to whom for which window.</summary>
internal sealed class SentMarkerRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string State { get; set; } = nameof(SentMarkerState.Claimed);

    public int Attempts { get; set; }

    /// <summary>Until then the claimer is sending; afterwards another sweep may retake the claim.</summary>
    public DateTimeOffset LeaseUntil { get; set; }

    /// <summary>The items (id@due ticks) the message covers, comma-separated.</summary>
    public string Items { get; set; } = "";

    public string Recipient { get; set; } = "";

    public DateTimeOffset? SentAt { get; set; }

    public string? LastError { get; set; }

    public bool Covers(DateTimeOffset now) =>
        State == nameof(SentMarkerState.Sent) || (State == nameof(SentMarkerState.Claimed) && LeaseUntil > now);
}

/// <summary>One digest's marker: in the day partition of its release's local day, so claims and marks of many releases share transactions.</summary>
internal sealed record DigestSend(string Partition, string RowKey, string Recipient, string Items);
