using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;

namespace ReleaseTeamsApp.Functions.Tests.Signals;

/// <summary>
/// Azure Repos pull requests of the fake: the git.pullrequest.merged notification built from Microsoft's documented
/// sample, and the Git REST API's pull request list the app re-reads with the personal access token.
/// </summary>
internal sealed partial class FakeAzureDevOps
{
    /// <summary>Pull requests the Git API lists, by id (newest id first): target branch (refs/heads/…), status and labels.</summary>
    public ConcurrentDictionary<long, AzureReposPull> Pulls { get; } = new();

    /// <summary>The repository's page, as its remoteUrl (an Azure Repos clone URL is its page).</summary>
    public const string RepositoryUrl = $"https://dev.azure.com/{Organization}/{Project}/_git/webshop";

    /// <summary>
    /// The documented git.pullrequest.merged sample for pull request <paramref name="number"/> into <paramref name="targetRef"/>:
    /// <paramref name="status"/> "completed" as in the sample, or "active" for the merge commit Azure DevOps creates before completion.
    /// </summary>
    public static JsonObject PullRequestMerged(long number, string targetRef, string status = "completed", params string[] labels)
    {
        var payload = Sample("azure-devops.pullrequest-merged");
        payload["id"] = Guid.NewGuid().ToString();
        var resource = payload["resource"]!;
        resource["pullRequestId"] = number;
        resource["targetRefName"] = targetRef;
        resource["status"] = status;
        resource["url"] = $"https://dev.azure.com/{Organization}/_apis/repos/git/repositories/0c9b8a7d-6e5f-4d3c-2b1a-098f7e6d5c4b/pullRequests/{number}";
        if (labels.Length > 0)
        {
            resource["labels"] = new JsonArray(labels.Select(l => (JsonNode)new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["name"] = l, ["active"] = true }).ToArray());
        }

        return payload;
    }

    /// <summary>
    /// GET {org}/{project}/_apis/git/pullrequests (Get Pull Requests By Project, 7.1): searchCriteria.status (default active),
    /// searchCriteria.targetRefName, $top and $skip, answered as {count, value: [GitPullRequest…]} with each one's repository and labels.
    /// </summary>
    private Task AnswerPullsAsync(HttpContext context, RecordedRequest request)
    {
        if (request.Authorization != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + Token)))
        {
            return FakeHttpServer.WriteJsonAsync(context, 401, JsonSerializer.Serialize(new { message = "TF400813: The user is not authorized to access this resource." }));
        }

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.RawTarget.Contains('?', StringComparison.Ordinal) ? request.RawTarget[request.RawTarget.IndexOf('?', StringComparison.Ordinal)..] : "");
        if (query.GetValueOrDefault("api-version") != "7.1")
        {
            return FakeHttpServer.WriteJsonAsync(context, 400, JsonSerializer.Serialize(new { message = "An api-version is required." }));
        }

        var status = query.TryGetValue("searchCriteria.status", out var given) ? given.ToString() : "active";
        var target = query.GetValueOrDefault("searchCriteria.targetRefName").ToString();
        var skip = int.TryParse(query.GetValueOrDefault("$skip"), out var skipped) ? skipped : 0;
        var top = int.TryParse(query.GetValueOrDefault("$top"), out var limit) ? limit : 101;
        var value = Pulls.Where(p => (status == "all" || p.Value.Status == status) && (target.Length == 0 || p.Value.TargetRef == target))
            .OrderByDescending(p => p.Key).Skip(skip).Take(top)
            .Select(p => new
            {
                repository = new
                {
                    id = "0c9b8a7d-6e5f-4d3c-2b1a-098f7e6d5c4b",
                    name = "webshop",
                    url = $"https://dev.azure.com/{Organization}/_apis/git/repositories/0c9b8a7d-6e5f-4d3c-2b1a-098f7e6d5c4b",
                    project = new { id = ProjectId, name = Project, state = "wellFormed" },
                    remoteUrl = RepositoryUrl,
                },
                pullRequestId = p.Key,
                codeReviewId = p.Key,
                status = p.Value.Status,
                creationDate = "2026-12-01T14:20:05.512Z",
                title = $"Pull request {p.Key}",
                sourceRefName = $"refs/heads/feature/{p.Key}",
                targetRefName = p.Value.TargetRef,
                mergeStatus = "succeeded",
                isDraft = false,
                labels = p.Value.Labels.Select(l => new { id = Guid.NewGuid(), name = l, active = true }),
                url = $"https://dev.azure.com/{Organization}/_apis/git/repositories/0c9b8a7d-6e5f-4d3c-2b1a-098f7e6d5c4b/pullRequests/{p.Key}",
                supportsIterations = true,
            }).ToList();
        return FakeHttpServer.WriteJsonAsync(context, 200, JsonSerializer.Serialize(new { value, count = value.Count }));
    }
}

/// <summary>A pull request of the fake's Git API: its target branch (refs/heads/…), status (active, completed, abandoned) and labels.</summary>
internal sealed record AzureReposPull(string TargetRef, string Status = "active", params string[] Labels);
