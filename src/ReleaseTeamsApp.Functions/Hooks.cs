using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Signals;

namespace ReleaseTeamsApp.Functions;

/// <summary>Webhook receivers: each verifies and queues a delivery, answering before anything is evaluated.</summary>
public sealed class Hooks(GitHubWebhookReceiver github, AzureMonitorReceiver monitor, AzureDevOpsWebhookReceiver azureDevOps)
{
    [Function("AzureDevOpsHook")]
    public async Task<IActionResult> AzureDevOpsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "hooks/azure-devops")] HttpRequest request, CancellationToken cancellationToken) =>
        Result(await azureDevOps.ReceiveAsync(request, cancellationToken));

    [Function("AzureDevOpsCheck")]
    public async Task<IActionResult> AzureDevOpsCheckAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "hooks/azure-devops/check")] HttpRequest request, CancellationToken cancellationToken) =>
        Result(await azureDevOps.ReceiveCheckAsync(request, cancellationToken));

    [Function("AzureMonitorHook")]
    public async Task<IActionResult> AzureMonitorAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "hooks/azure-monitor")] HttpRequest request, CancellationToken cancellationToken) =>
        Result(await monitor.ReceiveAsync(request, cancellationToken));

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

/// <summary>
/// Evaluates queued deliveries every few seconds, so a tick follows its event closely and a burst is spread out; now
/// and then removes the markers of deliveries older than the replay window.
/// </summary>
public sealed class SignalEvaluation(SignalEvaluator evaluator, DeploymentGate gate, SignalInbox inbox)
{
    [Function(nameof(SignalEvaluation))]
    public async Task RunAsync([TimerTrigger("*/5 * * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        await evaluator.DrainAsync(cancellationToken);
        await gate.AnswerOpenAsync(cancellationToken);
        await inbox.ExpireAsync(cancellationToken);
    }
}

/// <summary>Re-reads what signalled items wait for, so a lost webhook only delays a tick; ticks quiet monitoring windows that passed.</summary>
public sealed class SignalReconciliation(SignalReconciler reconciler)
{
    [Function(nameof(SignalReconciliation))]
    public async Task RunAsync([TimerTrigger("0 */10 * * * *")] TimerInfo timer, CancellationToken cancellationToken) => await reconciler.RunAsync(cancellationToken);
}
