using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Planning;

/// <summary>What planning a release logs (event ids 1100–1199).</summary>
internal static partial class PlanningLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Release {ReleaseId} ({Version}) created")]
    public static partial void Created(ILogger logger, string releaseId, string version);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Release {ReleaseId}: roles saved from the card, {Added} people added")]
    public static partial void Staffed(ILogger logger, string releaseId, int added);
}
