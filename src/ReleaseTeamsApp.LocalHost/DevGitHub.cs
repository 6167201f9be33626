using System.Text;
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
    public static void Map(WebApplication app, string apiPrefix)
    {
        app.MapPost("/_dev/github", async (DevDelivery delivery, HttpContext context, IHttpClientFactory clients, IOptions<GitHubOptions> options) =>
        {
            if (options.Value.WebhookSecret is not { Length: > 0 } secret)
            {
                return Results.BadRequest(new { error = "Set GitHub__WebhookSecret in local.settings.json first (any value): deliveries are signed with it." });
            }

            JsonObject? payload = delivery.Payload;
            if (delivery.Sample is { Length: > 0 } sample)
            {
                if (SamplePath(sample) is not { } path)
                {
                    return Results.BadRequest(new { error = $"No sample payload \"{sample}\": use one of the file names in tests/ReleaseTeamsApp.Functions.Tests/Signals/Payloads without .json, e.g. workflow_run.completed." });
                }

                payload = JsonNode.Parse(await File.ReadAllTextAsync(path, context.RequestAborted))!.AsObject();
            }

            if (payload is null || delivery.Event is not { Length: > 0 } eventName)
            {
                return Results.BadRequest(new { error = "Send {\"event\": \"workflow_run\", \"sample\": \"workflow_run.completed\", \"patch\": {…}} or {\"event\": …, \"payload\": {…}}." });
            }

            if (delivery.Patch is { } patch)
            {
                Merge(payload, patch);
            }

            var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
            var id = delivery.Delivery is { Length: > 0 } given ? given : Guid.NewGuid().ToString();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{context.Request.Scheme}://{context.Request.Host}{apiPrefix}/hooks/github") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-GitHub-Event", eventName);
            request.Headers.Add("X-GitHub-Delivery", id);
            request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Sign(secret, body));
            using var client = clients.CreateClient();
            using var response = await client.SendAsync(request, context.RequestAborted);
            var answer = await response.Content.ReadAsStringAsync(context.RequestAborted);
            return Results.Json(new { delivery = id, status = (int)response.StatusCode, answer = JsonNode.Parse(answer) }, statusCode: (int)response.StatusCode);
        });
    }

    /// <summary>RFC 7386 JSON merge patch: objects merge, null removes, anything else replaces.</summary>
    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject child && target[name] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }

    private static string? SamplePath(string name)
    {
        if (name.Any(c => !(char.IsLetterOrDigit(c) || c is '.' or '_' or '-')))
        {
            return null;
        }

        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "tests", "ReleaseTeamsApp.Functions.Tests", "Signals", "Payloads", name + ".json");
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private sealed record DevDelivery(string? Event, string? Sample, JsonObject? Patch, JsonObject? Payload, string? Delivery);
}
