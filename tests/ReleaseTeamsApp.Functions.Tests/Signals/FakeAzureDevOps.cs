using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;

namespace ReleaseTeamsApp.Functions.Tests.Signals;

/// <summary>
/// Azure DevOps on Kestrel: the build the app reads for a check (only with the job token the check sent), the plan
/// events a check's decision is posted to (recorded), service hook notifications built from the documented sample
/// payloads with the subscription's basic authentication, and the Invoke REST API check's call with its headers.
/// </summary>
internal sealed partial class FakeAzureDevOps : IAsyncDisposable
{
    public const string Secret = "ado-hook-password";
    public const string Organization = "octoacme";
    public const string Project = "Webshop";
    public const string ProjectId = "3b1e7f52-6c0a-4d8e-9f21-7a4b5c6d8e90";
    public const string JobToken = "ado-job-access-token";
    public const string Token = "ado-personal-access-token";

    private FakeAzureDevOps(FakeHttpServer server) => Server = server;

    public FakeHttpServer Server { get; }

    /// <summary>The collection URL of the organization, as $(system.CollectionUri) gives it: {base}{organization}/.</summary>
    public string PlanUrl => new Uri(Server.BaseAddress, $"/{Organization}/").ToString();

    /// <summary>Builds (runs) by id: pipeline name and source branch; read as builds with the job token, as pipeline runs with the personal access token.</summary>
    public ConcurrentDictionary<long, (string Pipeline, string Branch)> Builds { get; } = new();

    /// <summary>Completed runs the Build API lists (newest id first), for the reconciler: pipeline, branch, result and the stages' results.</summary>
    public ConcurrentDictionary<long, CompletedRun> CompletedRuns { get; } = new();

    /// <summary>Build definition ids by pipeline name, as the Build API's definitions list answers them.</summary>
    public static IReadOnlyDictionary<string, long> Definitions { get; } = new Dictionary<string, long> { ["webshop-ci"] = 12, ["webshop-cd"] = 14 };

    /// <summary>Plan events posted (a check's decision): the path, the authorization and the JSON body.</summary>
    public ConcurrentQueue<(string Path, string? Authorization, JsonObject Body)> PlanEvents { get; } = new();

    public static async Task<FakeAzureDevOps> StartAsync()
    {
        var server = await FakeHttpServer.StartAsync();
        var fake = new FakeAzureDevOps(server);
        server.Handler = fake.AnswerAsync;
        return fake;
    }

    public IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["AzureDevOps:WebhookSecret"] = Secret,
        ["AzureDevOps:ApiBaseUrl"] = Server.BaseAddress.ToString(),
        ["AzureDevOps:Token"] = Token,
    };

    public static JsonObject Sample(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Signals", "Payloads", name + ".json")))!.AsObject();

    public static JsonObject RunCompleted(string pipeline, string result, long runId)
    {
        var payload = Sample("azure-devops.run-state-changed");
        payload["id"] = Guid.NewGuid().ToString();
        var run = payload["resource"]!["run"]!;
        run["result"] = result;
        run["id"] = runId;
        run["pipeline"]!["name"] = pipeline;
        run["_links"]!["web"]!["href"] = $"https://dev.azure.com/{Organization}/{Project}/_build/results?buildId={runId}";
        payload["resource"]!["pipeline"]!["name"] = pipeline;
        return payload;
    }

    public static JsonObject StageCompleted(string pipeline, string stage, string result, long runId)
    {
        var payload = Sample("azure-devops.stage-state-changed");
        payload["id"] = Guid.NewGuid().ToString();
        var node = payload["resource"]!["stage"]!;
        node["name"] = stage;
        node["result"] = result;
        node["_links"]!["web"]!["href"] = $"https://dev.azure.com/{Organization}/{Project}/_build/results?buildId={runId}&view=logs";
        payload["resource"]!["run"]!["id"] = runId;
        payload["resource"]!["run"]!["pipeline"]!["name"] = pipeline;
        payload["resource"]!["pipeline"]!["name"] = pipeline;
        return payload;
    }

    public static string Basic(string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("azure-devops:" + password));

    /// <summary>Sends a notification as the Web Hooks consumer does: JSON body, basic authentication of the subscription.</summary>
    public static async Task<HttpResponseMessage> DeliverAsync(HttpClient app, JsonObject payload, string? password = Secret, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/hooks/azure-devops" + query) { Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("User-Agent", "VSServices/16.255.0");
        if (password is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(Basic(password));
        }

        return await app.SendAsync(request);
    }

    /// <summary>Calls the app as an Invoke REST API check in callback mode does: the check's headers (Microsoft's recommended set) through a generic service connection.</summary>
    public async Task<HttpResponseMessage> InvokeCheckAsync(HttpClient app, long buildId, string planId, string? password = Secret, string? planUrl = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/hooks/azure-devops/check") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        if (password is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(Basic(password));
        }

        request.Headers.Add("PlanUrl", planUrl ?? PlanUrl);
        request.Headers.Add("ProjectId", ProjectId);
        request.Headers.Add("HubName", "build");
        request.Headers.Add("PlanId", planId);
        request.Headers.Add("JobId", "9e8d7c6b-5a49-4382-a716-f5e4d3c2b1a0");
        request.Headers.Add("TimelineId", "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9");
        request.Headers.Add("TaskInstanceId", "aa11bb22-cc33-4d44-ae55-ff6677889900");
        request.Headers.Add("AuthToken", JobToken);
        request.Headers.Add("BuildId", buildId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await app.SendAsync(request);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private Task AnswerAsync(HttpContext context, RecordedRequest request)
    {
        var path = request.RawTarget.Split('?', 2)[0];
        var runs = $"/{Organization}/{Project}/_apis/pipelines/";
        if (request.Method == "GET" && path.StartsWith(runs, StringComparison.Ordinal))
        {
            return AnswerRunAsync(context, request, path[runs.Length..].Split('/'));
        }

        if (request.Method == "GET" && path == $"/{Organization}/{Project}/_apis/git/pullrequests")
        {
            return AnswerPullsAsync(context, request);
        }

        if (request.Method == "GET" && path.StartsWith($"/{Organization}/{Project}/_apis/build/", StringComparison.Ordinal))
        {
            return AnswerBuildsAsync(context, request, path[$"/{Organization}/{Project}/_apis/build/".Length..]);
        }

        if (request.Authorization != $"Bearer {JobToken}")
        {
            // Azure DevOps answers an unauthenticated call with a 203 sign-in page; 401 keeps the fake strict.
            return FakeHttpServer.WriteJsonAsync(context, 401, JsonSerializer.Serialize(new { message = "TF400813: The user is not authorized to access this resource." }));
        }

        var builds = $"/{Organization}/{ProjectId}/_apis/build/builds/";
        if (request.Method == "GET" && path.StartsWith(builds, StringComparison.Ordinal) && long.TryParse(path[builds.Length..], out var id) && Builds.TryGetValue(id, out var build))
        {
            return FakeHttpServer.WriteJsonAsync(context, 200, JsonSerializer.Serialize(new
            {
                id,
                buildNumber = $"20261210.{id}",
                status = "inProgress",
                sourceBranch = build.Branch,
                definition = new { id = 14, name = build.Pipeline },
                project = new { id = ProjectId, name = Project },
                _links = new { web = new { href = $"https://dev.azure.com/{Organization}/{ProjectId}/_build/results?buildId={id}" } },
            }));
        }

        if (request.Method == "POST" && path.StartsWith($"/{Organization}/{ProjectId}/_apis/distributedtask/hubs/", StringComparison.Ordinal) && path.EndsWith("/events", StringComparison.Ordinal)
            && request.RawTarget.Contains("api-version=2.0-preview.1", StringComparison.Ordinal))
        {
            PlanEvents.Enqueue((path, request.Authorization, JsonNode.Parse(request.Body)!.AsObject()));
            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        }

        return FakeHttpServer.WriteJsonAsync(context, 404, JsonSerializer.Serialize(new { message = "The resource cannot be found." }));
    }

    /// <summary>
    /// The Build API with the personal access token: definitions?name=, builds?definitions=&amp;statusFilter=completed&amp;queryOrder=finishTimeDescending,
    /// builds/{id}/timeline (its Stage records).
    /// </summary>
    private Task AnswerBuildsAsync(HttpContext context, RecordedRequest request, string rest)
    {
        if (request.Authorization != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + Token)))
        {
            return FakeHttpServer.WriteJsonAsync(context, 401, JsonSerializer.Serialize(new { message = "TF400813: The user is not authorized to access this resource." }));
        }

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.RawTarget.Contains('?', StringComparison.Ordinal) ? request.RawTarget[request.RawTarget.IndexOf('?', StringComparison.Ordinal)..] : "");
        if (query["api-version"] != "7.1")
        {
            return FakeHttpServer.WriteJsonAsync(context, 400, JsonSerializer.Serialize(new { message = "An api-version is required." }));
        }

        if (rest == "definitions")
        {
            var named = Definitions.Where(d => string.Equals(d.Key, query["name"], StringComparison.OrdinalIgnoreCase)).Select(d => new { id = d.Value, name = d.Key }).ToList();
            return FakeHttpServer.WriteJsonAsync(context, 200, JsonSerializer.Serialize(new { count = named.Count, value = named }));
        }

        if (rest == "builds" && query["statusFilter"] == "completed" && query["queryOrder"] == "finishTimeDescending" && long.TryParse(query["definitions"], out var definition))
        {
            var listed = CompletedRuns.Where(r => Definitions.TryGetValue(r.Value.Pipeline, out var id) && id == definition).OrderByDescending(r => r.Key)
                .Take(int.TryParse(query["$top"], out var top) ? top : 1000)
                .Select(r => new
                {
                    id = r.Key,
                    status = "completed",
                    result = r.Value.Result,
                    sourceBranch = r.Value.Branch,
                    definition = new { id = definition, name = r.Value.Pipeline },
                    _links = new { web = new { href = $"https://dev.azure.com/{Organization}/{Project}/_build/results?buildId={r.Key}" } },
                }).ToList();
            return FakeHttpServer.WriteJsonAsync(context, 200, JsonSerializer.Serialize(new { count = listed.Count, value = listed }));
        }

        var parts = rest.Split('/');
        if (parts is ["builds", var idText, "timeline"] && long.TryParse(idText, out var buildId) && CompletedRuns.TryGetValue(buildId, out var run))
        {
            var records = (run.Stages ?? new Dictionary<string, string>()).Select(s => new { type = "Stage", identifier = s.Key, name = s.Key, state = "completed", result = s.Value }).ToList();
            return FakeHttpServer.WriteJsonAsync(context, 200, JsonSerializer.Serialize(new { records }));
        }

        return FakeHttpServer.WriteJsonAsync(context, 404, JsonSerializer.Serialize(new { message = "The resource cannot be found." }));
    }

    /// <summary>GET {org}/{project}/_apis/pipelines/{pipelineId}/runs/{runId}: the Pipelines REST API's run, with its repository's refName.</summary>
    private Task AnswerRunAsync(HttpContext context, RecordedRequest request, string[] segments)
    {
        if (request.Authorization != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + Token)))
        {
            return FakeHttpServer.WriteJsonAsync(context, 401, JsonSerializer.Serialize(new { message = "TF400813: The user is not authorized to access this resource." }));
        }

        if (segments is not [var pipelineText, "runs", var runText] || !long.TryParse(pipelineText, out var pipelineId) || !long.TryParse(runText, out var runId)
            || !request.RawTarget.Contains("api-version=7.1", StringComparison.Ordinal) || !Builds.TryGetValue(runId, out var run))
        {
            return FakeHttpServer.WriteJsonAsync(context, 404, JsonSerializer.Serialize(new { message = "The resource cannot be found." }));
        }

        return FakeHttpServer.WriteJsonAsync(context, 200, JsonSerializer.Serialize(new
        {
            id = runId,
            name = $"20261210.{runId}",
            state = "completed",
            result = "succeeded",
            pipeline = new { id = pipelineId, name = run.Pipeline, folder = "\\" },
            resources = new { repositories = new { self = new { refName = run.Branch, version = "2f9e8d7c6b5a49382716f5e4d3c2b1a098765432", repository = new { type = "azureReposGit" } } } },
            url = $"{Server.BaseAddress}{Organization}/{ProjectId}/_apis/pipelines/{pipelineId}/runs/{runId}",
        }));
    }
}

/// <summary>A completed run of the fake's Build API: its pipeline, branch, result and, by stage name, each stage's result.</summary>
internal sealed record CompletedRun(string Pipeline, string Branch, string Result, IReadOnlyDictionary<string, string>? Stages = null);
