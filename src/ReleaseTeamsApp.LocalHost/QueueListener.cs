using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.LocalHost;

/// <summary>How the Functions host runs queue triggers (host.json extensions.queues), read the same way here.</summary>
internal sealed record QueueSettings(int BatchSize, int MaxDequeueCount, TimeSpan MaxPollingInterval, TimeSpan VisibilityTimeout)
{
    public static QueueSettings Default { get; } = new(16, 5, TimeSpan.FromMinutes(1), TimeSpan.Zero);

    /// <summary>host.json's extensions.queues, overridden by AzureFunctionsJobHost__extensions__queues__* settings as in the Functions host.</summary>
    public static QueueSettings Read(string? hostJson, IConfiguration configuration)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (hostJson is not null && File.Exists(hostJson))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(hostJson));
            if (document.RootElement.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("queues", out var queues))
            {
                foreach (var property in queues.EnumerateObject())
                {
                    values[property.Name] = property.Value.ToString();
                }
            }
        }

        foreach (var setting in configuration.GetSection("AzureFunctionsJobHost:extensions:queues").GetChildren())
        {
            values[setting.Key] = setting.Value;
        }

        var culture = System.Globalization.CultureInfo.InvariantCulture;
        return new QueueSettings(
            values.TryGetValue("batchSize", out var batch) && batch is not null ? int.Parse(batch, culture) : Default.BatchSize,
            values.TryGetValue("maxDequeueCount", out var dequeue) && dequeue is not null ? int.Parse(dequeue, culture) : Default.MaxDequeueCount,
            values.TryGetValue("maxPollingInterval", out var polling) && polling is not null ? TimeSpan.Parse(polling, culture) : Default.MaxPollingInterval,
            values.TryGetValue("visibilityTimeout", out var visibility) && visibility is not null ? TimeSpan.Parse(visibility, culture) : Default.VisibilityTimeout);
    }
}

/// <summary>
/// Runs the queue-triggered functions against the storage account's queue service (Azurite locally), as the Functions
/// host does: polls with back-off up to maxPollingInterval, hands each message's text to the function, deletes it on
/// success, makes it visible again after visibilityTimeout on failure, and after maxDequeueCount attempts moves it to
/// "&lt;queue&gt;-poison".
/// </summary>
internal sealed partial class QueueListener(FunctionCatalog catalog, ReleaseQueues queues, QueueSettings settings, IServiceScopeFactory scopes, IConfiguration configuration, ILogger<QueueListener> logger) : BackgroundService
{
    /// <summary>The functions that run here: AzureWebJobs.&lt;name&gt;.Disabled=true switches one off, as in the Functions host.</summary>
    private IEnumerable<QueueFunction> Enabled => catalog.Queues.Where(q => !string.Equals(configuration[$"AzureWebJobs.{q.Name}.Disabled"], "true", StringComparison.OrdinalIgnoreCase));

    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _inFlight = new();

    /// <summary>
    /// Processes every message visible now on every trigger's queue and waits for those the background loop is
    /// handling, until nothing is left (tests and the admin endpoint).
    /// </summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var handled = 0;
        while (true)
        {
            var batch = 0;
            var waiting = 0;
            foreach (var function in Enabled)
            {
                batch += await PollOnceAsync(function, cancellationToken);
                var properties = await queues.Queue(function.QueueName).GetPropertiesAsync(cancellationToken);
                waiting += properties.Value.ApproximateMessagesCount;
            }

            var running = _inFlight.Keys.ToArray();
            await Task.WhenAll(running);
            handled += batch;
            if (batch == 0 && running.Length == 0)
            {
                if (waiting == 0)
                {
                    return handled;
                }

                // A failed message becomes visible again after visibilityTimeout: wait for its next attempt.
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enabled.Select(q => LoopAsync(q, stoppingToken)));

    private async Task LoopAsync(QueueFunction function, CancellationToken stoppingToken)
    {
        var queueName = queues.Queue(function.QueueName).Name;
        LogListening(logger, function.Name, queueName);
        var wait = FirstPoll;
        while (!stoppingToken.IsCancellationRequested)
        {
            int handled;
            try
            {
                handled = await PollOnceAsync(function, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Azure.RequestFailedException ex)
            {
                LogPollFailed(logger, ex, function.Name);
                handled = 0;
            }

            // Back off while the queue is empty, like the Functions host (doubling up to maxPollingInterval).
            wait = handled > 0 ? FirstPoll : TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, settings.MaxPollingInterval.Ticks));
            try
            {
                await Task.Delay(handled > 0 ? TimeSpan.Zero : wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<int> PollOnceAsync(QueueFunction function, CancellationToken cancellationToken)
    {
        var queue = queues.Queue(function.QueueName);
        var received = await queue.ReceiveMessagesAsync(settings.BatchSize, Lease, cancellationToken);
        var handling = received.Value.Select(message => HandleAsync(function, queue, message, cancellationToken)).ToArray();
        foreach (var task in handling)
        {
            _inFlight.TryAdd(task, 0);
        }

        try
        {
            await Task.WhenAll(handling);
        }
        finally
        {
            foreach (var task in handling)
            {
                _inFlight.TryRemove(task, out _);
            }
        }

        return received.Value.Length;
    }

    private async Task HandleAsync(QueueFunction function, QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await FunctionInvoker.InvokeQueueAsync(function, scope.ServiceProvider, message, cancellationToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                LogPoisoned(logger, ex, function.Name, message.MessageId, message.DequeueCount);
                await queues.PoisonOf(function.QueueName).SendMessageAsync(message.Body.ToString(), CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            }
            else
            {
                LogFailed(logger, ex, function.Name, message.MessageId, message.DequeueCount);
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue function {Function} listening on {Queue}")]
    private static partial void LogListening(ILogger logger, string function, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue function {Function} could not poll its queue")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string function);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue function {Function} failed on message {MessageId} (attempt {DequeueCount}); it will be retried")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue function {Function} failed on message {MessageId} {DequeueCount} times; moved to the poison queue")]
    private static partial void LogPoisoned(ILogger logger, Exception exception, string function, string messageId, long dequeueCount);
}
