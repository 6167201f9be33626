using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ReleaseTeamsApp.Benchmarks.Sweep;

/// <summary>Counts the entities Table Storage returned (query pages and point reads), per table, from the response bodies.</summary>
internal sealed class RowReadCounter : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, long> _rows = new(StringComparer.Ordinal);
    private long _requests;

    public long Total => _rows.Values.Sum();

    public long Requests => Interlocked.Read(ref _requests);

    public void Reset()
    {
        _rows.Clear();
        Interlocked.Exchange(ref _requests, 0);
    }

    public string Describe() => string.Join(" + ", _rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value} {r.Key}"));

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException("The benchmark is asynchronous.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _requests);
        await ProcessNextAsync(message, pipeline);
        if (message.Request.Method != RequestMethod.Get || message.Response.Status != 200 || message.Response.ContentStream is not { } body)
        {
            return;
        }

        var buffer = new MemoryStream();
        await body.CopyToAsync(buffer);
        buffer.Position = 0;
        message.Response.ContentStream = buffer;
        using var json = await JsonDocument.ParseAsync(buffer);
        buffer.Position = 0;
        var rows = json.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : 1;
        _rows.AddOrUpdate(Table(message.Request.Uri.Path), rows, (_, n) => n + rows);
    }

    private static string Table(string path)
    {
        var last = path[(path.LastIndexOf('/') + 1)..];
        var name = last.Split('(')[0];
        foreach (var known in new[] { "DueIndex", "ReleaseIndex", "Releases", "Reminders", "Conversations", "Outbox" })
        {
            if (name.EndsWith(known, StringComparison.Ordinal))
            {
                return known;
            }
        }

        return name;
    }
}
