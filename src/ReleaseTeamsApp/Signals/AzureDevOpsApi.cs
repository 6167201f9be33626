using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ReleaseTeamsApp.Signals;

/// <summary>The run a check holds: its project (organization/project), pipeline, branch and page.</summary>
public sealed record PipelineRunInfo(string Project, string Pipeline, string? SourceBranch, string Url);

/// <summary>A pull request as the Git REST API lists it: id, status, target branch (refs/heads/…), active labels and its repository's page.</summary>
public sealed record AzurePull(long Id, string? Status, string? TargetRef, IReadOnlyList<string> Labels, string? RepositoryUrl);

/// <summary>
/// Azure DevOps REST, called with the job access token a check sent (its AuthToken header): read the run the check
/// holds, and post the check's decision (the TaskCompleted event of its plan). Every URL must lie under
/// AzureDevOps__ApiBaseUrl, so a forged PlanUrl never receives the token.
/// </summary>
public sealed class AzureDevOpsApi(IOptions<AzureDevOpsOptions> options, IHttpClientFactory clients)
{
    /// <summary>How many pull requests one page of the Git API holds here.</summary>
    public const int PullsPage = 100;

    /// <summary>The run of the check's BuildId: GET {PlanUrl}{ProjectId}/_apis/build/builds/{BuildId}.</summary>
    public async Task<PipelineRunInfo> RunOfAsync(PipelineCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var url = Under(check, string.Create(CultureInfo.InvariantCulture, $"{Uri.EscapeDataString(check.ProjectId)}/_apis/build/builds/{check.BuildId}?api-version=7.1"));
        using var request = Request(HttpMethod.Get, url, check);
        using var http = clients.CreateClient(nameof(AzureDevOpsApi));
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Azure DevOps answered {(int)response.StatusCode} to reading build {check.BuildId}.", null, response.StatusCode);
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var root = document.RootElement;
        string? Text(JsonElement element, params string[] path)
        {
            foreach (var name in path)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return null;
                }
            }

            return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        }

        var project = Text(root, "project", "name") ?? check.ProjectId;
        var organization = OrganizationOf(check);
        var web = Text(root, "_links", "web", "href") ?? new Uri(new Uri(check.PlanUrl), string.Create(CultureInfo.InvariantCulture, $"{Uri.EscapeDataString(project)}/_build/results?buildId={check.BuildId}")).ToString();
        return new PipelineRunInfo($"{organization}/{project}", Text(root, "definition", "name") ?? "", Text(root, "sourceBranch"), web);
    }

    /// <summary>The decision: POST {PlanUrl}{ProjectId}/_apis/distributedtask/hubs/{HubName}/plans/{PlanId}/events with TaskCompleted succeeded or failed.</summary>
    public async Task CompleteCheckAsync(PipelineCheck check, bool approved, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var url = Under(check, $"{Uri.EscapeDataString(check.ProjectId)}/_apis/distributedtask/hubs/{Uri.EscapeDataString(check.HubName)}/plans/{Uri.EscapeDataString(check.PlanId)}/events?api-version=2.0-preview.1");
        using var request = Request(HttpMethod.Post, url, check);
        request.Content = JsonContent.Create(new Dictionary<string, string>
        {
            ["name"] = "TaskCompleted",
            ["taskId"] = check.TaskInstanceId,
            ["jobId"] = check.JobId,
            ["result"] = approved ? "succeeded" : "failed",
        });
        using var http = clients.CreateClient(nameof(AzureDevOpsApi));
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Azure DevOps answered {(int)response.StatusCode} to the check's decision.", null, response.StatusCode);
        }
    }

    /// <summary>AzureDevOps__ApiBaseUrl, ending in a slash.</summary>
    public string BaseUrl => options.Value.ApiBaseUrl.ToString().EndsWith('/') ? options.Value.ApiBaseUrl.ToString() : options.Value.ApiBaseUrl + "/";

    /// <summary>True when AzureDevOps__Token is set, so runs can be read with it.</summary>
    public bool CanReadRuns => options.Value.CanReadRuns;

    /// <summary>
    /// The branch or tag a run is on: GET {ApiBaseUrl}{organization}/{project}/_apis/pipelines/{pipelineId}/runs/{runId}
    /// (resources.repositories.self.refName), with AzureDevOps__Token; null when Azure DevOps does not know the run.
    /// </summary>
    public async Task<string?> RunRefAsync(string project, long pipelineId, long runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        using var document = await GetWithTokenAsync(string.Create(CultureInfo.InvariantCulture, $"{ProjectPath(project)}/_apis/pipelines/{pipelineId}/runs/{runId}?api-version=7.1"), cancellationToken);
        return document is null ? null : AzureDevOpsDeliveries.RefName(document.RootElement);
    }

    /// <summary>
    /// The project's pull requests in <paramref name="status"/> (active, completed), into <paramref name="targetRef"/> when
    /// given, at most <paramref name="limit"/>: GET {organization}/{project}/_apis/git/pullrequests?searchCriteria.status=…
    /// &amp;searchCriteria.targetRefName=…&amp;$top=…&amp;$skip=…&amp;api-version=7.1 ("Get Pull Requests By Project"), page by page,
    /// with AzureDevOps__Token. The API filters by status and branch only; labels come with each pull request.
    /// </summary>
    public async Task<IReadOnlyList<AzurePull>> PullRequestsAsync(string project, string status, string? targetRef, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var filter = targetRef is null ? "" : "&searchCriteria.targetRefName=" + Uri.EscapeDataString(targetRef);
        var result = new List<AzurePull>();
        while (result.Count < limit)
        {
            var top = Math.Min(PullsPage, limit - result.Count);
            using var document = await GetWithTokenAsync(string.Create(CultureInfo.InvariantCulture,
                $"{ProjectPath(project)}/_apis/git/pullrequests?searchCriteria.status={Uri.EscapeDataString(status)}{filter}&$top={top}&$skip={result.Count}&api-version=7.1"), cancellationToken);
            var page = document is not null && document.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array
                ? value.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object).Select(Pull).ToList()
                : [];
            result.AddRange(page);
            if (page.Count < top)
            {
                break;
            }
        }

        return result;
    }

    private static AzurePull Pull(JsonElement pull)
    {
        var labels = pull.TryGetProperty("labels", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? tags.EnumerateArray()
                .Where(l => l.ValueKind == JsonValueKind.Object && !(l.TryGetProperty("active", out var active) && active.ValueKind == JsonValueKind.False))
                .Select(l => AzureDevOpsDeliveries.Text(l, "name")).OfType<string>().ToList()
            : [];
        return new AzurePull(
            pull.TryGetProperty("pullRequestId", out var id) && id.TryGetInt64(out var number) ? number : 0,
            AzureDevOpsDeliveries.Text(pull, "status"),
            AzureDevOpsDeliveries.Text(pull, "targetRefName"),
            labels,
            pull.TryGetProperty("repository", out var repository) && repository.ValueKind == JsonValueKind.Object ? AzureDevOpsDeliveries.RepositoryWebUrl(repository) : null);
    }

    /// <summary>A GET under AzureDevOps__ApiBaseUrl with the token (basic authentication, empty user name); null on 404.</summary>
    internal async Task<JsonDocument?> GetWithTokenAsync(string relative, CancellationToken cancellationToken)
    {
        if (options.Value.Token is not { Length: > 0 } token)
        {
            throw new InvalidOperationException("AzureDevOps__Token is not set, so the app cannot read Azure DevOps runs.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(BaseUrl), relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(":" + token)));
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.UserAgent.ParseAdd("ReleaseTeamsApp");
        using var http = clients.CreateClient(nameof(AzureDevOpsApi));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            // Azure DevOps answers a token it does not accept with 203 and a sign-in page, so the type is checked too.
            throw new HttpRequestException($"Azure DevOps answered {(int)response.StatusCode} ({response.Content.Headers.ContentType?.MediaType}) to reading {relative.Split('?')[0]}: check AzureDevOps__Token (scopes Build: read and Code: read).", null, response.StatusCode);
        }

        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }

    /// <summary>organization/project as URL segments.</summary>
    internal static string ProjectPath(string project) =>
        string.Join('/', project.Split('/', 2).Select(Uri.EscapeDataString));

    /// <summary>True when the PlanUrl lies under AzureDevOps__ApiBaseUrl (checked again before every call).</summary>
    public bool IsTrusted(string planUrl) =>
        Uri.TryCreate(planUrl.EndsWith('/') ? planUrl : planUrl + "/", UriKind.Absolute, out var plan) && plan.Scheme is "https" or "http" && options.Value.ApiBaseUrl.IsBaseOf(plan);

    private string OrganizationOf(PipelineCheck check)
    {
        var relative = options.Value.ApiBaseUrl.MakeRelativeUri(new Uri(Normalized(check.PlanUrl))).ToString();
        var first = relative.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        // An Azure DevOps Server collection URL has no organization segment after the base: the host names it.
        return Uri.UnescapeDataString(first ?? new Uri(check.PlanUrl).Host);
    }

    private Uri Under(PipelineCheck check, string relative)
    {
        if (!IsTrusted(check.PlanUrl))
        {
            throw new InvalidOperationException($"The check's PlanUrl is not under AzureDevOps__ApiBaseUrl ({options.Value.ApiBaseUrl}); the job token is not sent there.");
        }

        return new Uri(new Uri(Normalized(check.PlanUrl)), relative);
    }

    private static string Normalized(string planUrl) => planUrl.EndsWith('/') ? planUrl : planUrl + "/";

    private static HttpRequestMessage Request(HttpMethod method, Uri url, PipelineCheck check)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", check.AuthToken);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.UserAgent.ParseAdd("ReleaseTeamsApp");
        return request;
    }
}
