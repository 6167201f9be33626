using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ReleaseTeamsApp.Benchmarks.Sweep;

/// <summary>Storage requests of a sweep by phase (table + verb): count, summed latency and the longest one, to see where the time goes.</summary>
internal sealed class PhaseTimer : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, Phase> _phases = new(StringComparer.Ordinal);

    public void Reset() => _phases.Clear();

    /// <summary>Time spent outside storage, e.g. posting to the connector.</summary>
    public void Record(string phase, TimeSpan elapsed) => _phases.GetOrAdd(phase, _ => new Phase()).Add(elapsed);

    public IEnumerable<string> Describe() => _phases.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
        string.Create(CultureInfo.InvariantCulture, $"{p.Key,-28} {p.Value.Count,6} x  sum {p.Value.Sum.TotalMilliseconds,8:F0} ms  avg {p.Value.Sum.TotalMilliseconds / Math.Max(1, p.Value.Count),6:F1} ms  max {p.Value.Max.TotalMilliseconds,6:F0} ms"));

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException("The benchmark is asynchronous.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var watch = Stopwatch.StartNew();
        await ProcessNextAsync(message, pipeline);
        Record(Name(message), watch.Elapsed);
    }

    private static string Name(HttpMessage message)
    {
        var path = message.Request.Uri.Path;
        var last = path[(path.LastIndexOf('/') + 1)..];
        var table = last.Split('(')[0];
        foreach (var known in new[] { "DueIndex", "ReleaseIndex", "Releases", "Reminders" })
        {
            if (table.EndsWith(known, StringComparison.Ordinal))
            {
                table = known;
            }
        }

        return $"{message.Request.Method} {table} {message.Response.Status}";
    }

    private sealed class Phase
    {
        private long _count;
        private long _ticks;
        private long _max;

        public long Count => Interlocked.Read(ref _count);

        public TimeSpan Sum => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public TimeSpan Max => TimeSpan.FromTicks(Interlocked.Read(ref _max));

        public void Add(TimeSpan elapsed)
        {
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _ticks, elapsed.Ticks);
            long max;
            while (elapsed.Ticks > (max = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, elapsed.Ticks, max) != max)
            {
            }
        }
    }
}
