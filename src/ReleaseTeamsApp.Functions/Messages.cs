using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Bot;

namespace ReleaseTeamsApp.Functions;

public sealed class Messages(BotEndpoint bot)
{
    [Function(nameof(Messages))]
    public Task<IActionResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "messages")] HttpRequest request, CancellationToken cancellationToken) =>
        bot.HandleAsync(request, cancellationToken);
}
