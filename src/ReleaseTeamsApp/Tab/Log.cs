using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Tab;

/// <summary>The Tab folder's log messages; event ids 4400–4499.</summary>
internal static partial class TabLog
{
    [LoggerMessage(EventId = 4400, Level = LogLevel.Information, Message = "Tab SSO token refused: {Reason}")]
    internal static partial void TokenRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Warning, Message = "Release tab SSO is not configured (Tab:AppIdUri is empty): every /api/tab/releases request is refused with 401.")]
    internal static partial void SsoNotConfigured(ILogger logger);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Critical, Message = "RELEASE TAB DEVELOPMENT BYPASS IS ON (Tab:AllowDevelopmentBypass=true): /api/tab/releases serves any tenant's releases WITHOUT a Teams SSO token. Never enable this outside a local run.")]
    internal static partial void DevelopmentBypassEnabled(ILogger logger);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Information, Message = "Tab caller of tenant {TenantId} is not a member of team {TeamId}")]
    internal static partial void NotMember(ILogger logger, string tenantId, string teamId);

    [LoggerMessage(EventId = 4404, Level = LogLevel.Warning, Message = "Could not read the roster of team {TeamId}; the tab request is refused for now")]
    internal static partial void RosterLookupFailed(ILogger logger, Exception exception, string teamId);
}
