using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Closing;

internal static partial class ClosingLog
{
    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "Release {ReleaseId} closed by the {Closer}; report archived")]
    public static partial void Closed(ILogger logger, string releaseId, string closer);
}
