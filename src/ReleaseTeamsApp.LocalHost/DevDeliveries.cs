using System.Text;
using System.Text.Json.Nodes;

namespace ReleaseTeamsApp.LocalHost;

/// <summary>
/// What the local stand-ins for webhook senders (/_dev/github, /_dev/azure-devops) share: a payload given whole or as
/// one of the documented sample payloads (tests/…/Signals/Payloads) with a JSON merge patch, and the call to the
/// app's own receiver whose answer they pass back.
/// </summary>
internal static class DevDeliveries
{
    /// <summary>The payload a request names, or the one-sentence problem with the request.</summary>
    public static async Task<(JsonObject? Payload, string? Error)> PayloadAsync(string? sample, JsonObject? payload, JsonObject? patch, string example, CancellationToken cancellationToken)
    {
        if (sample is { Length: > 0 })
        {
            if (SamplePath(sample) is not { } path)
            {
                return (null, $"No sample payload \"{sample}\": use one of the file names in tests/ReleaseTeamsApp.Functions.Tests/Signals/Payloads without .json, e.g. {example}.");
            }

            payload = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken))!.AsObject();
        }

        if (payload is not null && patch is not null)
        {
            Merge(payload, patch);
        }

        return (payload, null);
    }

    /// <summary>POSTs the body to the app's receiver with the sender's headers and answers with the delivery id, the receiver's status and its answer.</summary>
    public static async Task<IResult> SendAsync(HttpContext context, IHttpClientFactory clients, string path, string delivery, JsonObject payload, Action<HttpRequestMessage, byte[]> sign)
    {
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{context.Request.Scheme}://{context.Request.Host}{path}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        sign(request, body);
        using var client = clients.CreateClient();
        using var response = await client.SendAsync(request, context.RequestAborted);
        var answer = await response.Content.ReadAsStringAsync(context.RequestAborted);
        return Results.Json(new { delivery, status = (int)response.StatusCode, answer = JsonNode.Parse(answer) }, statusCode: (int)response.StatusCode);
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
}
