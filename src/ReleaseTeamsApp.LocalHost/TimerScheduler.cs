using NCrontab;

namespace ReleaseTeamsApp.LocalHost;

/// <summary>Runs the timer functions on their schedules (NCRONTAB with seconds, or a TimeSpan), one invocation at a time per function, like the Functions host.</summary>
internal sealed partial class TimerScheduler(FunctionCatalog catalog, IServiceScopeFactory scopes, ILogger<TimerScheduler> logger) : BackgroundService
{
    private readonly Dictionary<string, SemaphoreSlim> _running = catalog.Timers.ToDictionary(t => t.Name, _ => new SemaphoreSlim(1, 1), StringComparer.OrdinalIgnoreCase);

    public static Func<DateTime, DateTime> NextOccurrence(string schedule)
    {
        if (TimeSpan.TryParse(schedule, System.Globalization.CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return after => after + interval;
        }

        var cron = CrontabSchedule.Parse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 });
        return cron.GetNextOccurrence;
    }

    /// <summary>Runs a timer function now (the admin endpoint, or after the clock moved).</summary>
    public async Task<bool> RunNowAsync(string name, CancellationToken cancellationToken)
    {
        var function = catalog.Timers.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
        if (function is null)
        {
            return false;
        }

        await RunAsync(function, isPastDue: false, cancellationToken);
        return true;
    }

    public async Task RunAllAsync(CancellationToken cancellationToken)
    {
        foreach (var function in catalog.Timers)
        {
            await RunAsync(function, isPastDue: true, cancellationToken);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.Timers.Select(t => LoopAsync(t, stoppingToken)));

    private async Task LoopAsync(TimerFunction function, CancellationToken stoppingToken)
    {
        var next = NextOccurrence(function.Schedule);
        LogScheduled(logger, function.Name, function.Schedule);
        if (function.RunOnStartup)
        {
            await RunAsync(function, isPastDue: false, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = DateTime.UtcNow;
            var due = next(now);
            try
            {
                await Task.Delay(due - now, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await RunAsync(function, isPastDue: false, stoppingToken);
        }
    }

    private async Task RunAsync(TimerFunction function, bool isPastDue, CancellationToken cancellationToken)
    {
        var gate = _running[function.Name];
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            LogRunning(logger, function.Name);
            await FunctionInvoker.InvokeTimerAsync(function, scope.ServiceProvider, isPastDue, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failed run is logged and the schedule goes on, as in the Functions host.
            LogFailed(logger, ex, function.Name);
        }
        finally
        {
            gate.Release();
        }
    }

    public override void Dispose()
    {
        foreach (var gate in _running.Values)
        {
            gate.Dispose();
        }

        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer function {Function} scheduled: {Schedule}")]
    private static partial void LogScheduled(ILogger logger, string function, string schedule);

    [LoggerMessage(Level = LogLevel.Information, Message = "Executing timer function {Function}")]
    private static partial void LogRunning(ILogger logger, string function);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {Function} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function);
}
