using Azure;
using Azure.Data.Tables;

namespace ReleaseTeamsApp.Storage;

/// <summary>A row of the release partition: the release, an item, an audit event or an idempotency marker, as JSON plus a few readable columns.</summary>
internal sealed class ReleaseRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Kind { get; set; } = "";

    public string Data { get; set; } = "";

    public string? Status { get; set; }

    public DateTimeOffset? DueAt { get; set; }
}

/// <summary>Finds releases by team (partition) and by channel + version (row "v|channel|version") or id (row "r|id").</summary>
internal sealed class ReleaseIndexRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string ReleaseId { get; set; } = "";

    public string Version { get; set; } = "";

    public string ChannelId { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
