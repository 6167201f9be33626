using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace ReleaseTeamsApp.Testing;

/// <summary>
/// Counts the requests Table Storage clients send (one per round trip; a batch transaction is one) and records each
/// query: its table, its $filter and how many rows its answer carried. Add it with <see cref="Options"/>.
/// </summary>
public sealed class TableRequestCounter : HttpPipelinePolicy
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Client options that route every request of the clients made with them through this counter.</summary>
    public TableClientOptions Options()
    {
        var options = new TableClientOptions();
        options.AddPolicy(this, HttpPipelinePosition.PerCall);
        return options;
    }

    public ConcurrentQueue<(string Table, string Filter, int Rows)> Queries { get; } = new();

    /// <summary>The queries of one table (named without the test's prefix), in the order they were sent.</summary>
    public IReadOnlyList<(string Filter, int Rows)> QueriesOf(string table) =>
        Queries.Where(q => q.Table.EndsWith(table, StringComparison.Ordinal)).Select(q => (q.Filter, q.Rows)).ToList();

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        Queries.Clear();
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _count);
        ProcessNext(message, pipeline);
        Record(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _count);
        await ProcessNextAsync(message, pipeline);
        Record(message);
    }

    private void Record(HttpMessage message)
    {
        var uri = message.Request.Uri.ToUri();
        var segment = uri.AbsolutePath[(uri.AbsolutePath.LastIndexOf('/') + 1)..];
        if (message.Request.Method != RequestMethod.Get || !segment.EndsWith("()", StringComparison.Ordinal))
        {
            return;
        }

        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var rows = 0;
        if (message.Response.ContentStream is { CanSeek: true } body)
        {
            using var json = JsonDocument.Parse(body, default);
            rows = json.RootElement.TryGetProperty("value", out var value) ? value.GetArrayLength() : 0;
            body.Position = 0;
        }

        Queries.Enqueue((segment[..^2], query["$filter"] ?? "", rows));
    }
}
