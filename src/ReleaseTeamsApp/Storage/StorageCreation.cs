using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Storage;

/// <summary>Tables or queues a component keeps in the app's storage account: created once, when the app starts, never before a call.</summary>
internal interface IStorageResources
{
    /// <summary>Creates what does not exist yet; safe to run on every start and from several instances at once.</summary>
    Task CreateIfNotExistsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Creates every registered <see cref="IStorageResources"/> before the host serves requests or runs timers and queue
/// triggers (hosted services start in registration order, and the app's services are registered first).
/// </summary>
internal sealed class StorageCreation(IEnumerable<IStorageResources> resources, ILogger<StorageCreation> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var all = resources.ToList();
        try
        {
            await CreateAllAsync(all, cancellationToken);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException && !cancellationToken.IsCancellationRequested)
        {
            // Without its tables the app can do nothing useful: stop with a message that says where to look.
            StorageLog.CreationFailed(logger, ex);
            throw new StorageUnavailableException("The app's storage tables and queues could not be created: check that Storage:ConnectionString (or Storage:TableServiceUri and the managed identity's role) points to a reachable storage account, then start the app again.", ex);
        }

        StorageLog.Created(logger, all.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What the host does at startup, for code that builds the storage classes without a host (tools, tests).</summary>
    public static async Task CreateAllAsync(IEnumerable<IStorageResources> resources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        foreach (var resource in resources)
        {
            await resource.CreateIfNotExistsAsync(cancellationToken);
        }
    }
}

/// <summary>The storage account could not be reached when the app started; the message says which settings to check.</summary>
internal sealed class StorageUnavailableException(string message, Exception innerException) : Exception(message, innerException);
