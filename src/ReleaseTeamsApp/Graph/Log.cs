using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Graph;

/// <summary>The Graph folder's log messages; event ids 4100–4199.</summary>
internal static partial class GraphLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Outbox sweep: {DueCount} due, {CompletedCount} completed")]
    internal static partial void Swept(ILogger logger, int dueCount, int completedCount);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Outbox entry {ReleaseId}/{Key} could not be handled; the other entries went on and it is retried after its lease")]
    internal static partial void EntryFailed(ILogger logger, Exception exception, string releaseId, string key);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Outbox entry {ReleaseId}/{Key}: the worker's lease ran out during attempt {Attempts}; retrying")]
    internal static partial void LeaseExpired(ILogger logger, string releaseId, string key, int attempts);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "Outbox entry {ReleaseId}/{Key} was claimed by another worker")]
    internal static partial void ClaimLost(ILogger logger, string releaseId, string key);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Outbox entry {ReleaseId}/{Key} attempt {Attempts} failed with {Status}: {Error}")]
    internal static partial void SendFailed(ILogger logger, string releaseId, string key, int attempts, int? status, string error);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Error, Message = "Outbox entry {ReleaseId}/{Key} is dead after {Attempts} attempts: {Error}")]
    internal static partial void EntryDead(ILogger logger, string releaseId, string key, int attempts, string? error);
}
