using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Tab;

internal static partial class TabLog
{
    [LoggerMessage(Level = LogLevel.Critical, Message = "RELEASE TAB DEVELOPMENT BYPASS IS ON (Tab:AllowDevelopmentBypass=true): /api/tab/releases serves any tenant's releases WITHOUT a Teams SSO token. Never enable this outside a local run.")]
    public static partial void DevelopmentBypassEnabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Release tab SSO is not configured (Tab:AppIdUri is empty): every /api/tab/releases request is refused with 401.")]
    public static partial void SsoNotConfigured(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tab SSO token refused: {Reason}")]
    public static partial void TokenRefused(ILogger logger, string reason);
}
