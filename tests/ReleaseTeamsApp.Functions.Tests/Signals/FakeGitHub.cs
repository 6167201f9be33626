using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;
using ReleaseTeamsApp.Signals;

namespace ReleaseTeamsApp.Functions.Tests.Signals;

/// <summary>
/// GitHub on Kestrel: the REST calls the app makes (under /api/v3/, as GitHub Enterprise Server serves them), the
/// GitHub App's installation tokens (only for a JWT signed with the app's key), and deliveries built from GitHub's
/// documented sample payloads, signed with the webhook secret like GitHub signs them.
/// </summary>
internal sealed class FakeGitHub : IAsyncDisposable
{
    public const string Secret = "It's a Secret to Everybody";
    public const string AppId = "424242";
    public const string Repository = "octoacme/webshop";
    public const string InstallationToken = "ghs_fake_installation_token";

    private FakeGitHub(FakeHttpServer server, RSA key)
    {
        Server = server;
        Key = key;
    }

    public FakeHttpServer Server { get; }

    public RSA Key { get; }

    public string PrivateKeyPem => Key.ExportRSAPrivateKeyPem();

    public Uri ApiBaseUrl => new(Server.BaseAddress, "/api/v3/");

    /// <summary>Milestones by title: number.</summary>
    public Dictionary<string, int> Milestones { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<int, FakePull> Pulls { get; } = new();

    /// <summary>Check runs by head sha.</summary>
    public ConcurrentDictionary<string, List<(string Name, string Status, string? Conclusion)>> Checks { get; } = new();

    /// <summary>Answers to deployment protection rule callbacks: the JSON bodies posted.</summary>
    public ConcurrentQueue<(string Path, string? Authorization, JsonObject Body)> Reviews { get; } = new();

    public int TokensIssued;

    public static async Task<FakeGitHub> StartAsync()
    {
        var server = await FakeHttpServer.StartAsync();
        var fake = new FakeGitHub(server, RSA.Create(2048));
        server.Handler = fake.AnswerAsync;
        return fake;
    }

    public IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["GitHub:WebhookSecret"] = Secret,
        ["GitHub:ApiBaseUrl"] = ApiBaseUrl.ToString(),
        ["GitHub:AppId"] = AppId,
        ["GitHub:PrivateKey"] = PrivateKeyPem,
    };

    public static JsonObject Sample(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Signals", "Payloads", name + ".json")))!.AsObject();

    /// <summary>The sample with its repository renamed to <see cref="Repository"/> (the samples use Codertocat/Hello-World or octo-org/octo-repo).</summary>
    public static JsonObject SampleFor(string name)
    {
        var sample = Sample(name);
        sample["repository"]!["full_name"] = Repository;
        sample["repository"]!["name"] = "webshop";
        sample["repository"]!["html_url"] = $"https://github.com/{Repository}";
        return sample;
    }

    public static JsonObject PullRequestMerged(int number, string milestone, int milestoneNumber)
    {
        var payload = SampleFor("pull_request.closed");
        payload["number"] = number;
        var pr = payload["pull_request"]!;
        pr["number"] = number;
        pr["merged"] = true;
        pr["merged_at"] = "2026-12-04T10:00:00Z";
        pr["html_url"] = $"https://github.com/{Repository}/pull/{number}";
        pr["milestone"] = new JsonObject
        {
            ["url"] = $"https://api.github.com/repos/{Repository}/milestones/{milestoneNumber}",
            ["html_url"] = $"https://github.com/{Repository}/milestone/{milestoneNumber}",
            ["labels_url"] = $"https://api.github.com/repos/{Repository}/milestones/{milestoneNumber}/labels",
            ["id"] = 1000 + milestoneNumber,
            ["node_id"] = "MDk6TWlsZXN0b25lMQ==",
            ["number"] = milestoneNumber,
            ["title"] = milestone,
            ["description"] = null,
            ["creator"] = payload["sender"]!.DeepClone(),
            ["open_issues"] = 0,
            ["closed_issues"] = 2,
            ["state"] = "open",
            ["created_at"] = "2026-11-01T10:00:00Z",
            ["updated_at"] = "2026-12-04T10:00:00Z",
            ["due_on"] = null,
            ["closed_at"] = null,
        };
        return payload;
    }

    public static JsonObject WorkflowRunCompleted(string workflow, string branch, string conclusion, long runId = 289782451)
    {
        var payload = SampleFor("workflow_run.completed");
        payload["workflow"]!["name"] = workflow;
        var run = payload["workflow_run"]!;
        run["name"] = workflow;
        run["head_branch"] = branch;
        run["conclusion"] = conclusion;
        run["id"] = runId;
        run["html_url"] = $"https://github.com/{Repository}/actions/runs/{runId}";
        return payload;
    }

    public static JsonObject DeploymentStatus(string environment, string gitRef, string state, long deploymentId = 145988746)
    {
        var payload = SampleFor("deployment_status.with-installation");
        var deployment = payload["deployment"]!;
        deployment["environment"] = environment;
        deployment["original_environment"] = environment;
        deployment["ref"] = gitRef;
        deployment["id"] = deploymentId;
        var status = payload["deployment_status"]!;
        status["state"] = state;
        status["environment"] = environment;
        status["target_url"] = $"https://github.com/{Repository}/actions/runs/77";
        return payload;
    }

    public JsonObject ProtectionRuleRequested(string environment, string gitRef, long runId)
    {
        var payload = SampleFor("deployment_protection_rule.requested");
        payload["environment"] = environment;
        payload["deployment"]!["environment"] = environment;
        payload["deployment"]!["ref"] = gitRef;
        payload["deployment_callback_url"] = new Uri(ApiBaseUrl, $"repos/{Repository}/actions/runs/{runId}/deployment_protection_rule").ToString();
        return payload;
    }

    /// <summary>Sends a delivery to the app as GitHub does: the event and delivery headers, X-Hub-Signature-256 over the exact body.</summary>
    public static async Task<HttpResponseMessage> DeliverAsync(HttpClient app, string eventName, JsonObject payload, string? deliveryId = null, string? secret = Secret, string? signature = null)
    {
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/hooks/github") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", "GitHub-Hookshot/044aadd");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", deliveryId ?? Guid.NewGuid().ToString());
        request.Headers.Add("X-GitHub-Hook-ID", "292430182");
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }
        else if (secret is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Sign(secret, body));
        }

        return await app.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Key.Dispose();
    }

    private Task AnswerAsync(HttpContext context, RecordedRequest request)
    {
        var path = request.RawTarget.Split('?', 2)[0];
        var query = request.RawTarget.Contains('?', StringComparison.Ordinal) ? System.Web.HttpUtility.ParseQueryString(request.RawTarget.Split('?', 2)[1]) : [];
        var repo = $"/api/v3/repos/{Repository}";
        if (request.Method == "POST" && path.StartsWith("/api/v3/app/installations/", StringComparison.Ordinal) && path.EndsWith("/access_tokens", StringComparison.Ordinal))
        {
            if (!IsAppJwt(request.Authorization))
            {
                return Json(context, 401, new { message = "A JSON web token could not be decoded" });
            }

            Interlocked.Increment(ref TokensIssued);
            return Json(context, 201, new { token = InstallationToken, expires_at = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) });
        }

        if (!string.Equals(request.Authorization, $"token {InstallationToken}", StringComparison.OrdinalIgnoreCase) && request.Authorization != $"Bearer {InstallationToken}")
        {
            return Json(context, 401, new { message = "Bad credentials" });
        }

        if (request.Method == "GET" && path == $"{repo}/milestones")
        {
            return Json(context, 200, Milestones.Select(m => new { number = m.Value, title = m.Key, html_url = $"https://github.com/{Repository}/milestone/{m.Value}", state = "open" }));
        }

        if (request.Method == "GET" && path == $"{repo}/issues")
        {
            var milestone = query["milestone"] is { Length: > 0 } m ? m : null;
            var label = query["labels"] is { Length: > 0 } l ? l : null;
            var pulls = Pulls.Values.Where(p => (milestone is null || Milestones.GetValueOrDefault(p.Milestone).ToString(CultureInfo.InvariantCulture) == milestone) && (label is null || p.Labels.Contains(label)));
            return Json(context, 200, pulls.OrderBy(p => p.Number).Select(p => new
            {
                number = p.Number,
                title = $"PR {p.Number}",
                state = p.Merged ? "closed" : "open",
                html_url = $"https://github.com/{Repository}/pull/{p.Number}",
                pull_request = new { url = $"https://api.github.com/repos/{Repository}/pulls/{p.Number}" },
            }));
        }

        if (request.Method == "GET" && path.StartsWith($"{repo}/pulls/", StringComparison.Ordinal) && int.TryParse(path[($"{repo}/pulls/".Length)..], out var number) && Pulls.TryGetValue(number, out var pull))
        {
            return Json(context, 200, new { number, merged = pull.Merged, merged_at = pull.Merged ? "2026-12-04T10:00:00Z" : null, state = pull.Merged ? "closed" : "open", head = new { sha = pull.Sha, @ref = $"feature-{number}" } });
        }

        if (request.Method == "GET" && path.StartsWith($"{repo}/commits/", StringComparison.Ordinal) && path.EndsWith("/check-runs", StringComparison.Ordinal))
        {
            var sha = path[$"{repo}/commits/".Length..^"/check-runs".Length];
            var runs = Checks.GetValueOrDefault(sha) ?? [];
            return Json(context, 200, new { total_count = runs.Count, check_runs = runs.Select((r, i) => new { id = i + 1, name = r.Name, status = r.Status, conclusion = r.Conclusion, html_url = $"https://github.com/{Repository}/runs/{i + 1}" }) });
        }

        if (request.Method == "POST" && path.StartsWith($"{repo}/actions/runs/", StringComparison.Ordinal) && path.EndsWith("/deployment_protection_rule", StringComparison.Ordinal))
        {
            Reviews.Enqueue((path, request.Authorization, JsonNode.Parse(request.Body)!.AsObject()));
            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        }

        return Json(context, 404, new { message = "Not Found", documentation_url = "https://docs.github.com/rest" });
    }

    /// <summary>An RS256 JWT signed with the app's key, issued for the app, not expired.</summary>
    private bool IsAppJwt(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = authorization["Bearer ".Length..].Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var signed = Key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var payload = JsonDocument.Parse(FromBase64Url(parts[1]));
        return signed && payload.RootElement.GetProperty("iss").GetString() == AppId;
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private static Task Json<T>(HttpContext context, int status, T value) => FakeHttpServer.WriteJsonAsync(context, status, JsonSerializer.Serialize(value));
}

internal sealed record FakePull(int Number, string Milestone, bool Merged, string Sha)
{
    public IReadOnlyList<string> Labels { get; init; } = [];
}
