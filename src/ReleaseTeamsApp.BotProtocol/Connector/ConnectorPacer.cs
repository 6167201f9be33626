using System.Globalization;
using Microsoft.Extensions.Options;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>Who waits first when a tenant's budget is short: people clicking and asking, or a sweep.</summary>
public enum SendPriority
{
    /// <summary>Replies, card updates after a tick, proactive posts someone asked for: may use the whole budget.</summary>
    Interactive,

    /// <summary>Sweeps (reminders, follow-ups): leave <see cref="ConnectorPacingOptions.InteractiveShare"/> of the budget free.</summary>
    Bulk,
}

/// <summary>
/// Teams' documented bot limits (configuration section <c>Bot:Connector:Pacing</c>): 50 requests per second per app and
/// tenant, and per thread (chat or channel) 7 per second, 8 per 2 s, 60 per 30 s and 1,800 per hour. The pacer keeps
/// below them by <see cref="Headroom"/>, so Teams never has to answer 429.
/// </summary>
public sealed record ConnectorPacingOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Teams' limit per app and tenant.</summary>
    public double TenantRequestsPerSecond { get; set; } = 50;

    /// <summary>Share of each Teams limit the app uses (room for requests Teams counts that this process cannot see: another instance, a limit counted differently).</summary>
    public double Headroom { get; set; } = 0.9;

    /// <summary>Share of the tenant budget bulk sends leave free, so a click's card update never waits behind a sweep.</summary>
    public double InteractiveShare { get; set; } = 0.1;

    /// <summary>
    /// Processes sharing the tenant budget (set it to the Functions app's maximum instance count): each paces at
    /// 1/<see cref="Instances"/> of it, so together they stay under Teams' limit without coordinating.
    /// </summary>
    public int Instances { get; set; } = 1;

    /// <summary>Per-thread windows as "count/seconds", comma-separated: Teams' published values.</summary>
    public string ThreadWindows { get; set; } = "7/1,8/2,60/30,1800/3600";

    internal IReadOnlyList<(int Count, TimeSpan Window)> ParsedThreadWindows() =>
        ThreadWindows.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(w =>
        {
            var parts = w.Split('/');
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(parts[1], CultureInfo.InvariantCulture)));
        }).ToList();
}

/// <summary>
/// What the sends of the current flow are (tenant, priority), carried with the async flow so every connector call
/// of a sweep or a turn is paced under its tenant's budget without threading it through each call.
/// </summary>
public static class ConnectorTraffic
{
    private static readonly AsyncLocal<TrafficScope?> Current = new();

    /// <summary>Sends in this flow count against <paramref name="tenantId"/> with <paramref name="priority"/> until disposed.</summary>
    public static IDisposable Begin(string? tenantId, SendPriority priority)
    {
        var previous = Current.Value;
        Current.Value = new TrafficScope(tenantId ?? "", priority);
        return new Restore(previous);
    }

    internal static (string Tenant, SendPriority Priority) Now =>
        Current.Value is { } scope ? (scope.Tenant, scope.Priority) : ("", SendPriority.Interactive);

    private sealed record TrafficScope(string Tenant, SendPriority Priority);

    private sealed class Restore(TrafficScope? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}

/// <summary>
/// One per process: waits before a connector request until it fits the tenant's budget and its thread's windows
/// (sliding windows of the requests sent). Bulk sends leave a share of the tenant budget to interactive ones.
/// Teams counts a request when it arrives, which the pacer cannot see, so a request counts as in every window from the
/// moment it is let go until it is answered, and from then on with its answer's time: however late it arrives (a busy
/// machine, a connection being opened), Teams has counted it no later than the pacer does and drops it no sooner.
/// </summary>
public sealed class ConnectorPacer
{
    private static readonly TimeSpan TenantWindow = TimeSpan.FromSeconds(1);

    private readonly ConnectorPacingOptions _options;
    private readonly TimeProvider _time;
    private readonly List<(int Count, TimeSpan Window)> _threadWindows;
    private readonly Dictionary<string, List<ConnectorTurn>> _tenants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ConnectorTurn>> _threads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _blockedUntil = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeSpan _longestWindow;
    private readonly int _tenantLimit;
    private readonly int _bulkLimit;
    private long _waits;
    private long _waitedTicks;

    /// <param name="time">Rate limits are wall-clock: pass the real clock even where the app's own clock is simulated.</param>
    public ConnectorPacer(IOptions<ConnectorPacingOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _threadWindows = _options.ParsedThreadWindows()
            .Select(w => (Math.Max(1, (int)Math.Floor(w.Count * _options.Headroom)), w.Window))
            .ToList();
        _longestWindow = _threadWindows.Count == 0 ? TenantWindow : _threadWindows.Max(w => w.Window);
        _tenantLimit = Math.Max(1, (int)Math.Floor(_options.TenantRequestsPerSecond * _options.Headroom / Math.Max(1, _options.Instances)));
        _bulkLimit = Math.Max(1, Math.Min(_tenantLimit - 1, (int)Math.Floor(_tenantLimit * (1 - _options.InteractiveShare))));
    }

    /// <summary>Requests per second this process sends for one tenant at most (interactive; bulk sends stop lower).</summary>
    public int TenantLimit => _tenantLimit;

    public int BulkLimit => _bulkLimit;

    /// <summary>How often a request waited, and for how long in total (for benchmarks and logs).</summary>
    public (long Waits, TimeSpan Waited) Statistics => (Interlocked.Read(ref _waits), TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks)));

    /// <summary>The thread a conversation id belongs to: a channel's reply chain (";messageid=") counts as its channel.</summary>
    public static string ThreadOf(string conversationId)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        var cut = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return cut < 0 ? conversationId : conversationId[..cut];
    }

    /// <summary>
    /// Waits until a request to <paramref name="conversationId"/> fits the budgets, then counts it as in flight; dispose
    /// the turn when the request is answered (or failed), so it counts from then on with that time.
    /// </summary>
    public async Task<ConnectorTurn> WaitTurnAsync(string tenantId, string conversationId, SendPriority priority, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return new ConnectorTurn(null);
        }

        var thread = ThreadOf(conversationId);
        var waited = TimeSpan.Zero;
        ConnectorTurn turn;
        while (true)
        {
            TimeSpan delay;
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                delay = DelayFor(tenantId, thread, priority, now);
                if (delay <= TimeSpan.Zero)
                {
                    turn = new ConnectorTurn(this) { At = now };
                    Log(_tenants, tenantId).Add(turn);
                    Log(_threads, thread).Add(turn);
                    break;
                }
            }

            waited += delay;
            await Task.Delay(delay, _time, cancellationToken);
        }

        if (waited > TimeSpan.Zero)
        {
            Interlocked.Increment(ref _waits);
            Interlocked.Add(ref _waitedTicks, waited.Ticks);
        }

        return turn;
    }

    /// <summary>Teams said 429 anyway (another app instance, a changed limit): hold the thread's sends for <paramref name="retryAfter"/>.</summary>
    public void Throttled(string conversationId, TimeSpan retryAfter)
    {
        var thread = ThreadOf(conversationId);
        lock (_gate)
        {
            var until = _time.GetUtcNow() + retryAfter;
            if (!_blockedUntil.TryGetValue(thread, out var current) || current < until)
            {
                _blockedUntil[thread] = until;
            }
        }
    }

    internal void Answered(ConnectorTurn turn)
    {
        lock (_gate)
        {
            if (turn.InFlight)
            {
                turn.At = _time.GetUtcNow();
                turn.InFlight = false;
            }
        }
    }

    private TimeSpan DelayFor(string tenantId, string thread, SendPriority priority, DateTimeOffset now)
    {
        var delay = TimeSpan.Zero;
        if (_blockedUntil.TryGetValue(thread, out var blocked))
        {
            if (blocked > now)
            {
                delay = blocked - now;
            }
            else
            {
                _blockedUntil.Remove(thread);
            }
        }

        var tenant = Prune(Log(_tenants, tenantId), now, TenantWindow);
        delay = Max(delay, UntilFits(tenant, priority == SendPriority.Bulk ? _bulkLimit : _tenantLimit, TenantWindow, now));

        var sent = Prune(Log(_threads, thread), now, _longestWindow);
        foreach (var (count, window) in _threadWindows)
        {
            delay = Max(delay, UntilFits(sent, count, window, now));
        }

        return delay;
    }

    /// <summary>
    /// How long until fewer than <paramref name="limit"/> of the requests count within the last <paramref name="window"/>:
    /// an answered one leaves a window after its answer, one in flight no sooner than a window from now.
    /// </summary>
    private static TimeSpan UntilFits(List<ConnectorTurn> sent, int limit, TimeSpan window, DateTimeOffset now)
    {
        var from = now - window;
        var leaving = sent.Where(t => t.InFlight || t.At > from).Select(t => t.InFlight ? now + window : t.At + window).Order().ToList();
        if (leaving.Count < limit)
        {
            return TimeSpan.Zero;
        }

        // The first ones to leave must go until only limit - 1 remain; the loop looks again then.
        var wait = leaving[leaving.Count - limit] - now;
        return wait > TimeSpan.Zero ? wait + TimeSpan.FromMilliseconds(1) : TimeSpan.FromMilliseconds(1);
    }

    private static List<ConnectorTurn> Prune(List<ConnectorTurn> sent, DateTimeOffset now, TimeSpan keep)
    {
        sent.RemoveAll(t => !t.InFlight && t.At <= now - keep);
        return sent;
    }

    private static List<ConnectorTurn> Log(Dictionary<string, List<ConnectorTurn>> logs, string key)
    {
        if (!logs.TryGetValue(key, out var log))
        {
            log = [];
            logs[key] = log;
        }

        return log;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>
/// One request the <see cref="ConnectorPacer"/> let go: in flight until disposed, which marks it answered (succeeded,
/// throttled or failed alike).
/// </summary>
public sealed class ConnectorTurn : IDisposable
{
    private readonly ConnectorPacer? _pacer;

    internal ConnectorTurn(ConnectorPacer? pacer)
    {
        _pacer = pacer;
        InFlight = pacer is not null;
    }

    /// <summary>When it was let go while in flight; when it was answered after.</summary>
    internal DateTimeOffset At { get; set; }

    internal bool InFlight { get; set; }

    public void Dispose() => _pacer?.Answered(this);
}
