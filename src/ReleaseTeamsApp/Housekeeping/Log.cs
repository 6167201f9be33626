using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Housekeeping;

/// <summary>The Housekeeping folder's log messages; event ids 4500–4599.</summary>
internal static partial class HousekeepingLog
{
    [LoggerMessage(EventId = 4500, Level = LogLevel.Information, Message = "Cleanup of {Day}: {Dedupe} command markers, {Markers} reminder markers and {Outbox} finished outbox entries expired; {Indexed} older outbox entries indexed")]
    internal static partial void Cleaned(ILogger logger, string day, int dedupe, int markers, int outbox, int indexed);
}
