using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;

namespace ReleaseTeamsApp.Teams;

/// <summary>Says loudly at startup when the bot endpoint accepts unauthenticated requests (no MicrosoftAppId: local runs only).</summary>
internal sealed class BotStartupNotice(IBotAuthenticator authenticator, ILogger<BotStartupNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (authenticator.IsAnonymous)
        {
            TeamsLog.BotEndpointAnonymous(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
