using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;

namespace ReleaseTeamsApp.Teams;

/// <summary>Says loudly at startup when the bot endpoint accepts unauthenticated requests (no MicrosoftAppId: local runs only).</summary>
internal sealed partial class BotStartupNotice(IBotAuthenticator authenticator, ILogger<BotStartupNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (authenticator.IsAnonymous)
        {
            LogAnonymous(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Critical, Message = "BOT ENDPOINT IS ANONYMOUS (MicrosoftAppId is empty): /api/messages accepts activities WITHOUT a Bot Framework token and sends none. Only for local runs — set MicrosoftAppId in any deployed environment.")]
    private static partial void LogAnonymous(ILogger logger);
}
