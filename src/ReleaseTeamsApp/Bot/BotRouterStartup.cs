using Microsoft.Extensions.Hosting;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Bot;

/// <summary>Builds the router when the app starts, so a command word or card verb two operations claim stops the start, not a message later.</summary>
internal sealed class BotRouterStartup(BotRouter router) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => router.Help.Count > 0 ? Task.CompletedTask : throw new InvalidOperationException("No operation declares a command: register them with services.AddSingleton<BotOperation, TOperation>().");

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
