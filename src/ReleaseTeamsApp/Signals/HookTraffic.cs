using System.Diagnostics;

namespace ReleaseTeamsApp.Signals;

/// <summary>
/// The acknowledgements running now. The evaluator shares the storage account, the thread pool and the cores with the
/// receivers, so it steps aside while a burst is being acknowledged. Each acknowledgement is traced as an activity of
/// <see cref="ActivitySourceName"/> whose tags give the time of its phases, for OpenTelemetry and the benchmark.
/// Times here are real elapsed time (Stopwatch), not the app's clock, which a test or the local host may move.
/// </summary>
public sealed class HookTraffic
{
    public const string ActivitySourceName = "ReleaseTeamsApp.Signals";

    private static readonly ActivitySource Activities = new(ActivitySourceName);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    private int _inFlight;
    private long _lastFinished;

    /// <summary>Acknowledgements being handled now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>True when no acknowledgement runs and the last one finished at least <paramref name="gap"/> ago.</summary>
    public bool IsQuiet(TimeSpan gap) =>
        InFlight == 0 && (Volatile.Read(ref _lastFinished) is var last && (last == 0 || Stopwatch.GetElapsedTime(last) >= gap));

    /// <summary>Waits until <see cref="IsQuiet"/> holds, at most <paramref name="max"/>; true when it is quiet.</summary>
    public async Task<bool> WaitForQuietAsync(TimeSpan gap, TimeSpan max, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        while (!IsQuiet(gap))
        {
            if (Stopwatch.GetElapsedTime(start) >= max)
            {
                return false;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        return true;
    }

    /// <summary>Starts an acknowledgement of a delivery from <paramref name="source"/>; dispose it when the receipt is ready.</summary>
    public Ack Begin(string source)
    {
        Interlocked.Increment(ref _inFlight);
        return new Ack(this, Activities.StartActivity("hook " + source, ActivityKind.Server));
    }

    private void Finished()
    {
        Volatile.Write(ref _lastFinished, Stopwatch.GetTimestamp());
        Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>One acknowledgement: <see cref="Phase"/> closes a phase (its milliseconds become the tag "&lt;name&gt;.ms").</summary>
    public sealed class Ack : IDisposable
    {
        private readonly HookTraffic _traffic;
        private readonly Activity? _activity;
        private long _since;
        private bool _disposed;

        internal Ack(HookTraffic traffic, Activity? activity)
        {
            _traffic = traffic;
            _activity = activity;
            _since = Stopwatch.GetTimestamp();
        }

        public void Phase(string name)
        {
            if (_activity is null)
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            _activity.SetTag(name + ".ms", Stopwatch.GetElapsedTime(_since, now).TotalMilliseconds);
            _since = now;
        }

        public void Tag(string name, object? value) => _activity?.SetTag(name, value);

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _activity?.Dispose();
            _traffic.Finished();
        }
    }
}
