using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Signals;

namespace ReleaseTeamsApp.LocalHost;

/// <summary>
/// Local stand-in for an Azure DevOps service hook subscription (Web Hooks consumer): POST /_dev/azure-devops sends a
/// notification to /api/hooks/azure-devops with basic authentication whose password is AzureDevOps__WebhookSecret, so
/// the receiver checks it exactly as it checks Azure DevOps'. The payload is given whole or as one of the sample
/// payloads (azure-devops.*) with a JSON merge patch; "delivery" becomes the notification's id (Azure DevOps' dedupe
/// key), so sending it again shows that a replay is refused. Only the local host has it.
/// </summary>
internal static class DevAzureDevOps
{
    public static void Map(IEndpointRouteBuilder app, string apiPrefix)
    {
        app.MapPost("/_dev/azure-devops", async (DevNotification notification, HttpContext context, IHttpClientFactory clients, IOptions<AzureDevOpsOptions> options) =>
        {
            if (options.Value.WebhookSecret is not { Length: > 0 } secret)
            {
                return Results.BadRequest(new { error = "Set AzureDevOps__WebhookSecret in local.settings.json first (any value): notifications carry it as their basic-auth password." });
            }

            var (payload, error) = await DevDeliveries.PayloadAsync(notification.Sample, notification.Payload, notification.Patch, "azure-devops.run-state-changed", context.RequestAborted);
            if (error is not null)
            {
                return Results.BadRequest(new { error });
            }

            if (payload is null)
            {
                return Results.BadRequest(new { error = "Send {\"sample\": \"azure-devops.run-state-changed\", \"patch\": {…}} or {\"payload\": {…}}, optionally with \"delivery\" and \"project\" (organization/project)." });
            }

            var id = notification.Delivery is { Length: > 0 } given ? given : Guid.NewGuid().ToString();
            payload["id"] = id;
            var query = notification.Project is { Length: > 0 } project ? "?project=" + Uri.EscapeDataString(project) : "";
            return await DevDeliveries.SendAsync(context, clients, $"{apiPrefix}/hooks/azure-devops{query}", id, payload, (request, _) =>
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("azure-devops:" + secret)));
                request.Headers.TryAddWithoutValidation("User-Agent", "VSServices/16.255.0");
            });
        });
    }

    private sealed record DevNotification(string? Sample, JsonObject? Patch, JsonObject? Payload, string? Delivery, string? Project);
}
