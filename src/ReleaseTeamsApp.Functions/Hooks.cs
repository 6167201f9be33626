using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Signals;

namespace ReleaseTeamsApp.Functions;

/// <summary>Webhook receivers: each verifies and queues a delivery, answering before anything is evaluated.</summary>
public sealed class Hooks(GitHubWebhookReceiver github)
{
    [Function("GitHubHook")]
    public async Task<IActionResult> GitHubAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "hooks/github")] HttpRequest request, CancellationToken cancellationToken) =>
        Result(await github.ReceiveAsync(request, cancellationToken));

    internal static ContentResult Result(HookReceipt receipt) => new()
    {
        StatusCode = receipt.Status,
        ContentType = "application/json; charset=utf-8",
        Content = JsonSerializer.Serialize(new { message = receipt.Message }),
    };
}

/// <summary>Evaluates queued deliveries every few seconds, so a tick follows its event closely and a burst is spread out.</summary>
public sealed class SignalEvaluation(SignalEvaluator evaluator)
{
    [Function(nameof(SignalEvaluation))]
    public async Task RunAsync([TimerTrigger("*/5 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) => await evaluator.DrainAsync(cancellationToken);
}
