using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Signals;

namespace ReleaseTeamsApp.LocalHost;

/// <summary>
/// Local stand-in for GitHub's webhook sender: POST /_dev/github signs a delivery with GitHub__WebhookSecret and sends
/// it to /api/hooks/github, so the receiver checks it exactly as it checks GitHub's. The payload is given whole or
/// as one of GitHub's sample payloads (tests/…/Signals/Payloads) with a JSON merge patch; a delivery id may be reused
/// to show that a replay is refused. Only the local host has it.
/// </summary>
internal static class DevGitHub
{
    public static void Map(IEndpointRouteBuilder app, string apiPrefix)
    {
        app.MapPost("/_dev/github", async (DevDelivery delivery, HttpContext context, IHttpClientFactory clients, IOptions<GitHubOptions> options) =>
        {
            if (options.Value.WebhookSecret is not { Length: > 0 } secret)
            {
                return Results.BadRequest(new { error = "Set GitHub__WebhookSecret in local.settings.json first (any value): deliveries are signed with it." });
            }

            var (payload, error) = await DevDeliveries.PayloadAsync(delivery.Sample, delivery.Payload, delivery.Patch, "workflow_run.completed", context.RequestAborted);
            if (error is not null)
            {
                return Results.BadRequest(new { error });
            }

            if (payload is null || delivery.Event is not { Length: > 0 } eventName)
            {
                return Results.BadRequest(new { error = "Send {\"event\": \"workflow_run\", \"sample\": \"workflow_run.completed\", \"patch\": {…}} or {\"event\": …, \"payload\": {…}}." });
            }

            var id = delivery.Delivery is { Length: > 0 } given ? given : Guid.NewGuid().ToString();
            return await DevDeliveries.SendAsync(context, clients, $"{apiPrefix}/hooks/github", id, payload, (request, body) =>
            {
                request.Headers.Add("X-GitHub-Event", eventName);
                request.Headers.Add("X-GitHub-Delivery", id);
                request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Sign(secret, body));
            });
        });
    }

    private sealed record DevDelivery(string? Event, string? Sample, JsonObject? Patch, JsonObject? Payload, string? Delivery);
}
