using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace ReleaseTeamsApp.Storage;

/// <summary>
/// The app's work queues on Azure Storage (the account the Functions host's queue triggers listen on): work that must
/// happen even when the process that decided it stops right after (card updates after a tick, sweep work items).
/// </summary>
public sealed class ReleaseQueues : IStorageResources
{
    /// <summary>Card updates for everyone after a click was answered.</summary>
    public const string CardUpdatesName = "card-updates";

    /// <summary>One reminder work item per release with something due, when the sweep fans out.</summary>
    public const string ReminderWorkName = "reminder-work";

    private readonly QueueServiceClient _service;
    private readonly string _prefix;

    public ReleaseQueues(IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        // The Functions queue trigger decodes base64 by default (host.json messageEncoding), so the app writes base64.
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        _service = string.IsNullOrWhiteSpace(settings.ConnectionString)
            ? new QueueServiceClient(settings.QueueServiceUri ?? QueueUriFor(settings.TableServiceUri), new DefaultAzureCredential(), clientOptions)
            : new QueueServiceClient(settings.ConnectionString, clientOptions);
        _prefix = settings.QueuePrefix;
        CardUpdates = Queue(CardUpdatesName);
        ReminderWork = Queue(ReminderWorkName);
    }

    public QueueClient CardUpdates { get; }

    public QueueClient ReminderWork { get; }

    public QueueServiceClient Service => _service;

    /// <summary>The queue a trigger named <paramref name="name"/> listens on (with the test prefix).</summary>
    public QueueClient Queue(string name) => _service.GetQueueClient(_prefix + name);

    /// <summary>Where the Functions host moves a message after its last failed attempt.</summary>
    public QueueClient PoisonOf(string name) => Queue(name + "-poison");

    /// <summary>Work of this release that failed on every attempt and sits in a poison queue: (queue, when it was first queued).</summary>
    public async Task<IReadOnlyList<(string Queue, DateTimeOffset? QueuedAt)>> PoisonedAsync(string releaseId, CancellationToken cancellationToken)
    {
        var found = new List<(string, DateTimeOffset?)>();
        foreach (var name in new[] { CardUpdatesName, ReminderWorkName })
        {
            // Peeking shows the oldest 32 without taking them; enough for a report line per release.
            var peeked = await PoisonOf(name).PeekMessagesAsync(32, cancellationToken);
            foreach (var message in peeked.Value)
            {
                if (ReleaseOf(message.Body.ToString()) == releaseId)
                {
                    found.Add((name, message.InsertedOn));
                }
            }
        }

        return found;
    }

    private static string? ReleaseOf(string message)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(message);
            return document.RootElement.TryGetProperty("releaseId", out var id) ? id.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        foreach (var name in new[] { CardUpdatesName, ReminderWorkName })
        {
            await Queue(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await PoisonOf(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
    }

    private static Uri QueueUriFor(Uri? tableServiceUri) =>
        tableServiceUri is null
            ? throw new InvalidOperationException("Set Storage:QueueServiceUri (https://<account>.queue.core.windows.net) or Storage:ConnectionString.")
            : new Uri(tableServiceUri.ToString().Replace(".table.", ".queue.", StringComparison.OrdinalIgnoreCase));
}
