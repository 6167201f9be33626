using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Options;

namespace ReleaseTeamsApp.Storage;

/// <summary>The app's tables (created when the app starts, see <see cref="StorageCreation"/>).</summary>
public sealed class ReleaseTables : IStorageResources
{
    private readonly TableServiceClient _service;
    private readonly string _prefix;

    /// <param name="clientOptions">Transport and pipeline settings (retries, diagnostics, test policies); defaults when not registered.</param>
    public ReleaseTables(IOptions<StorageOptions> options, TableClientOptions? clientOptions = null)
    {
        var settings = options.Value;
        _service = string.IsNullOrWhiteSpace(settings.ConnectionString)
            ? new TableServiceClient(settings.TableServiceUri, new DefaultAzureCredential(), clientOptions)
            : new TableServiceClient(settings.ConnectionString, clientOptions);
        _prefix = settings.TablePrefix;
        Releases = Table("Releases");
        ReleaseIndex = Table("ReleaseIndex");
        DueIndex = Table("DueIndex");
        Conversations = Table("Conversations");
        Reminders = Table("Reminders");
        Outbox = Table("Outbox");
        Templates = Table("Templates");
        Installations = Table("Installations");
    }

    /// <summary>One partition per release: the release row, its items, its audit trail and idempotency markers.</summary>
    public TableClient Releases { get; }

    /// <summary>Releases by team (partition) and by channel + version (row), so commands can find a release by name.</summary>
    public TableClient ReleaseIndex { get; }

    /// <summary>Due times by hour bucket, so the reminder sweep reads what is due, not every item of every release.</summary>
    public TableClient DueIndex { get; }

    /// <summary>Where the bot is installed: service URL, tenant, team and channel of each conversation.</summary>
    public TableClient Conversations { get; }

    /// <summary>Sent-markers of reminders and follow-ups: a conditional insert claims a send exactly once.</summary>
    public TableClient Reminders { get; }

    /// <summary>Graph writes waiting to be sent, sent, recorded or dead.</summary>
    public TableClient Outbox { get; }

    /// <summary>Teams' own checklist templates: partition = tenant|team, row = id|version (zero-padded, so versions sort).</summary>
    public TableClient Templates { get; }

    /// <summary>One row per conversation the bot is installed in and has welcomed: a conditional insert claims the welcome exactly once.</summary>
    public TableClient Installations { get; }

    public TableServiceClient Service => _service;

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        foreach (var table in new[] { Releases, ReleaseIndex, DueIndex, Conversations, Reminders, Outbox, Templates, Installations })
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }
    }

    /// <summary>One small query: throws when the account cannot be reached or the tables were not created.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in Releases.QueryAsync<TableEntity>("PartitionKey eq '~probe'", maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages())
        {
            break;
        }
    }

    private TableClient Table(string name) => _service.GetTableClient(_prefix + name);
}
