using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ReleaseTeamsApp.Benchmarks.Infrastructure;
using ReleaseTeamsApp.Signals;

namespace ReleaseTeamsApp.Benchmarks.Signals;

/// <summary>
/// Where an acknowledgement's time goes: the receiver's phases (from its activity: read body, verify signature, read
/// the event, inbox insert), the rest outside the receiver (Kestrel, routing, the response, the client), and what ran
/// at the same time (evaluations in flight, garbage collections, thread-pool queue) — printed for the slowest 1 %.
/// </summary>
internal sealed class AckBreakdown : IDisposable
{
    private static readonly string[] Phases = ["read", "verify", "parse", "insert"];

    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, Activity> _server = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Ack> _acks = [];
    private readonly SignalEvaluator _evaluator;
    private readonly ConcurrentQueue<(long At, double Ms)> _stalls = new();
    private readonly Thread _watchdog;
    private volatile bool _stopped;

    public AckBreakdown(SignalEvaluator evaluator)
    {
        _evaluator = evaluator;
        // A thread that only sleeps 1 ms at a time: when it wakes much later, the whole process was not scheduled (a busy machine, a GC pause).
        _watchdog = new Thread(() =>
        {
            var last = Stopwatch.GetTimestamp();
            while (!_stopped)
            {
                Thread.Sleep(1);
                var now = Stopwatch.GetTimestamp();
                var gap = Stopwatch.GetElapsedTime(last, now).TotalMilliseconds;
                if (gap > 5)
                {
                    _stalls.Enqueue((now, gap));
                }

                last = now;
            }
        }) { IsBackground = true, Priority = ThreadPriority.Highest };
        _watchdog.Start();
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == HookTraffic.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("delivery") is string { Length: > 0 } delivery)
                {
                    _server[delivery] = activity;
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>What is going on when a request starts; pass it to <see cref="End"/> when its response arrived.</summary>
    public Sample Start() => new(Stopwatch.GetTimestamp(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
        ThreadPool.PendingWorkItemCount, ThreadPool.ThreadCount, _evaluator.Evaluating, _evaluator.Draining, SignalEvaluator.Evaluations);

    public double End(Sample start, string delivery)
    {
        var elapsed = Stopwatch.GetElapsedTime(start.Timestamp).TotalMilliseconds;
        _acks.Add(new Ack(delivery, elapsed, start, new Sample(Stopwatch.GetTimestamp(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            ThreadPool.PendingWorkItemCount, ThreadPool.ThreadCount, _evaluator.Evaluating, _evaluator.Draining, SignalEvaluator.Evaluations)));
        return elapsed;
    }

    public void Print()
    {
        var all = _acks.OrderByDescending(a => a.Milliseconds).ToList();
        var slowest = all.Take(Math.Max(1, all.Count / 100)).ToList();
        Console.WriteLine($"  the slowest 1 % ({slowest.Count} of {all.Count}): ms in the receiver's phases, outside it, and what ran alongside");
        Console.WriteLine("      total   read verify  parse insert outside | stall  evaluating  evaluated-during  gen0/1/2  pool-queue threads");
        foreach (var ack in slowest)
        {
            var server = _server.GetValueOrDefault(ack.Delivery);
            var phases = string.Join(" ", Phases.Select(p => Tag(server, p).ToString("F1", CultureInfo.InvariantCulture).PadLeft(6)));
            var outside = ack.Milliseconds - (server?.Duration.TotalMilliseconds ?? 0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {ack.Milliseconds,7:F1} {phases} {outside,7:F1} | {Stall(ack),5:F0}  {Math.Max(ack.Start.Evaluating, ack.End.Evaluating),10} {ack.End.Evaluations - ack.Start.Evaluations,17}  {ack.End.Gen0 - ack.Start.Gen0}/{ack.End.Gen1 - ack.Start.Gen1}/{ack.End.Gen2 - ack.Start.Gen2}    {ack.Start.PoolQueue,9} {ack.Start.Threads,7}"));
        }

        Console.WriteLine("    mean ms of a phase: " + string.Join(" · ", Phases.Append("outside").Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"{p} {Mean(slowest, p):F1} (all {Mean(all, p):F1})"))) + " — slowest 1 % (all)");
        var busy = all.Where(a => a.Start.Draining || a.End.Draining || a.End.Evaluations > a.Start.Evaluations).Select(a => a.Milliseconds).Order().ToList();
        var idle = all.Where(a => !(a.Start.Draining || a.End.Draining || a.End.Evaluations > a.Start.Evaluations)).Select(a => a.Milliseconds).Order().ToList();
        var collected = all.Count(a => a.End.Gen0 > a.Start.Gen0);
        var stalled = all.Where(a => Stall(a) < 20).Select(a => a.Milliseconds).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    the process went unscheduled for more than 20 ms during {all.Count - stalled.Count} acks ({slowest.Count(a => Stall(a) >= 20)} of the slowest 1 %); without them p99 {P99(stalled):F1} ms; longest stall {_stalls.Select(s => s.Ms).DefaultIfEmpty(0).Max():F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    while the evaluator drained: {busy.Count} acks, p99 {P99(busy):F1} ms; while it did not: {idle.Count} acks, p99 {P99(idle):F1} ms; acks with a GC inside: {collected}, of the slowest 1 %: {slowest.Count(a => a.End.Gen0 > a.Start.Gen0)}; pool queue of the slowest 1 % max {slowest.Max(a => a.Start.PoolQueue)}"));
    }

    public void Dispose()
    {
        _stopped = true;
        _watchdog.Join();
        _listener.Dispose();
    }

    /// <summary>The longest the process was not scheduled while the request ran.</summary>
    private double Stall(Ack ack) => _stalls.Where(s => s.At >= ack.Start.Timestamp && s.At - (long)(s.Ms * Stopwatch.Frequency / 1000) <= ack.End.Timestamp).Select(s => s.Ms).DefaultIfEmpty(0).Max();

    private static double P99(List<double> sorted) => sorted.Count == 0 ? 0 : Percentiles.Of(sorted, 99);

    private double Mean(List<Ack> acks, string phase) => acks.Count == 0 ? 0 : acks.Average(a =>
    {
        var server = _server.GetValueOrDefault(a.Delivery);
        return phase == "outside" ? a.Milliseconds - (server?.Duration.TotalMilliseconds ?? 0) : Tag(server, phase);
    });

    private static double Tag(Activity? activity, string phase) => activity?.GetTagItem(phase + ".ms") is double ms ? ms : 0;

    internal sealed record Sample(long Timestamp, int Gen0, int Gen1, int Gen2, long PoolQueue, int Threads, int Evaluating, bool Draining, long Evaluations);

    private sealed record Ack(string Delivery, double Milliseconds, Sample Start, Sample End);
}
