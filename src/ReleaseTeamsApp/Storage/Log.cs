using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Storage;

/// <summary>What the storage adapter logs (event ids 3000–3999).</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Storage ready: the tables and queues of {Components} components exist")]
    public static partial void Created(ILogger logger, int components);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Critical, Message = "Storage tables and queues could not be created; the app does not start")]
    public static partial void CreationFailed(ILogger logger, Exception exception);
}
