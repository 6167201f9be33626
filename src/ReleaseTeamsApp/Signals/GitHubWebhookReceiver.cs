using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReleaseTeamsApp.Signals;

/// <summary>
/// POST /api/hooks/github: verifies the delivery's signature over the raw body, refuses replays of a delivery id,
/// and queues what it says for the evaluator. Nothing is evaluated here, so a burst is acknowledged fast.
/// </summary>
public sealed class GitHubWebhookReceiver(IOptions<GitHubOptions> options, SignalInbox inbox, HookTraffic traffic, ILogger<GitHubWebhookReceiver> logger)
{
    /// <summary>GitHub caps payloads at 25 MB; the events the app reads are far smaller.</summary>
    public const int MaxBodyBytes = 5 * 1024 * 1024;

    public async Task<HookReceipt> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var ack = traffic.Begin(GitHubDeliveries.Source);
        var body = await HookBodies.ReadAsync(request, MaxBodyBytes, cancellationToken);
        ack.Phase("read");
        if (body is null)
        {
            return HookReceipt.BadRequest($"The delivery is larger than {MaxBodyBytes / 1024 / 1024} MB.");
        }

        var secret = options.Value.WebhookSecret;
        if (string.IsNullOrEmpty(secret))
        {
            SignalsLog.GitHubNoSecret(logger);
            return HookReceipt.Unauthorized("This app has no GitHub webhook secret configured (GitHub__WebhookSecret), so it cannot verify deliveries.");
        }

        var valid = WebhookSignature.IsValid(secret, request.Headers["X-Hub-Signature-256"].ToString(), body);
        ack.Phase("verify");
        ack.Tag("delivery", request.Headers["X-GitHub-Delivery"].ToString());
        if (!valid)
        {
            SignalsLog.GitHubForged(logger, request.Headers["X-GitHub-Delivery"].ToString());
            return HookReceipt.Unauthorized("The delivery's X-Hub-Signature-256 does not match its body: check that the GitHub App's webhook secret equals GitHub__WebhookSecret.");
        }

        var delivery = request.Headers["X-GitHub-Delivery"].ToString();
        var eventName = request.Headers["X-GitHub-Event"].ToString();
        if (delivery is not { Length: > 0 and <= 100 } || eventName is not { Length: > 0 and <= 100 })
        {
            return HookReceipt.BadRequest("The delivery has no X-GitHub-Delivery or X-GitHub-Event header.");
        }

        SignalEvent? signal;
        try
        {
            signal = GitHubDeliveries.Read(eventName, body);
        }
        catch (JsonException)
        {
            return HookReceipt.BadRequest($"The body is not a GitHub {eventName} event.");
        }

        ack.Phase("parse");
        var accepted = await inbox.AcceptAsync(GitHubDeliveries.Source, delivery, signal, cancellationToken);
        ack.Phase("insert");
        if (!accepted)
        {
            SignalsLog.GitHubReplayed(logger, delivery);
            return HookReceipt.Unauthorized($"Delivery {delivery} was already received; a replayed delivery changes nothing.");
        }

        SignalsLog.GitHubAccepted(logger, delivery, eventName, signal?.Kind ?? "ignored");
        return HookReceipt.Accepted(signal is null ? $"{eventName} received; nothing in it settles a checklist item." : $"{eventName} received; it is evaluated within seconds.");
    }
}
