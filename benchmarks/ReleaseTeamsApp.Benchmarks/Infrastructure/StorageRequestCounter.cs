using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ReleaseTeamsApp.Benchmarks.Infrastructure;

/// <summary>
/// Counts the requests the app's Table Storage clients send (one per round trip; a batch transaction is one), and
/// which ones they were: the request path of the HTTP call that made them (the invoke path) or background work (the
/// queue triggers, timers), the table, and the kind of request.
/// </summary>
internal sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private long _count;
    private long _foreground;

    /// <summary>Where a request comes from: the HTTP request being served ("POST /api/messages"), or null for background work.</summary>
    public Func<string?>? Origin { get; set; }

    /// <summary>Table prefix to strip from table names in <see cref="Requests"/>.</summary>
    public string TablePrefix { get; set; } = "";

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Requests made while serving an HTTP request (with <see cref="Origin"/> set).</summary>
    public long ForegroundCount => Interlocked.Read(ref _foreground);

    /// <summary>Every request since <see cref="Reset"/>, labelled "origin · table · kind".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public void Reset() => Requests.Clear();

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Interlocked.Increment(ref _count);
        var origin = Origin?.Invoke();
        if (origin is not null)
        {
            Interlocked.Increment(ref _foreground);
        }

        Requests.Enqueue($"{origin ?? "background"} · {Describe(message.Request)}");
    }

    private string Describe(Request request)
    {
        var path = request.Uri.Path;
        var segment = path[(path.LastIndexOf('/') + 1)..];
        if (segment.StartsWith("$batch", StringComparison.Ordinal))
        {
            return "transaction ($batch)";
        }

        var paren = segment.IndexOf('(', StringComparison.Ordinal);
        var table = paren < 0 ? segment : segment[..paren];
        if (table.StartsWith(TablePrefix, StringComparison.OrdinalIgnoreCase))
        {
            table = table[TablePrefix.Length..];
        }

        var pointed = paren >= 0 && segment.Contains("PartitionKey", StringComparison.Ordinal);
        var method = request.Method.Method;
        var kind = method switch
        {
            "GET" when pointed => "point read",
            "GET" when request.Uri.Query.Contains("filter", StringComparison.OrdinalIgnoreCase) => "query",
            "GET" => "read",
            _ => method,
        };
        return $"{table} · {kind}";
    }
}
