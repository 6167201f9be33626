using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Signals;

/// <summary>The signal feature's own tables, in the app's storage account with its table prefix.</summary>
public sealed class SignalTables : IStorageResources
{
    public SignalTables(ReleaseTables tables, IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(options);
        var prefix = options.Value.TablePrefix;
        Links = tables.Service.GetTableClient(prefix + "SignalLinks");
        Inbox = tables.Service.GetTableClient(prefix + "SignalInbox");
    }

    /// <summary>Which release (or team) follows which repository, project or Azure resource, and the reverse, for listing.</summary>
    public TableClient Links { get; }

    /// <summary>Deliveries received: a dedupe marker per delivery id (kept) and a pending row per delivery until it is evaluated.</summary>
    public TableClient Inbox { get; }

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        await Links.CreateIfNotExistsAsync(cancellationToken);
        await Inbox.CreateIfNotExistsAsync(cancellationToken);
    }
}
