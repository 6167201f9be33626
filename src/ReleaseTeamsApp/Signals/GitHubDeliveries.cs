using System.Text.Json;
using Octokit.Webhooks.Events;

namespace ReleaseTeamsApp.Signals;

/// <summary>Reads the GitHub webhook events the evaluator acts on (Octokit.Webhooks event types) into <see cref="SignalEvent"/>s.</summary>
internal static class GitHubDeliveries
{
    public const string Source = "github";

    /// <summary>The event reduced for the evaluator, or null when this event or action settles nothing (a PR opened, a run queued…).</summary>
    /// <exception cref="JsonException">The body is not the JSON of the event its header names.</exception>
    public static SignalEvent? Read(string eventName, ReadOnlySpan<byte> body)
    {
        switch (eventName)
        {
            case "pull_request":
                var pull = JsonSerializer.Deserialize<PullRequestEvent>(body);
                if (pull?.Action != "closed" || pull.PullRequest is not { } pr || pr.Merged != true || pull.Repository is null)
                {
                    return null;
                }

                return new SignalEvent(Source, SignalKinds.PullRequestMerged, pull.Repository.FullName)
                {
                    Number = pr.Number,
                    Milestone = pr.Milestone?.Title,
                    Labels = pr.Labels?.Select(l => l.Name).ToList() ?? [],
                    Url = pr.Milestone?.HtmlUrl ?? pr.HtmlUrl,
                    Sha = pr.Head?.Sha,
                    Ref = pr.Base?.Ref,
                    At = pr.MergedAt,
                    InstallationId = pull.Installation?.Id,
                };
            case "check_run":
                var check = JsonSerializer.Deserialize<CheckRunEvent>(body);
                if (check?.Action != "completed" || check.CheckRun is not { } run || check.Repository is null)
                {
                    return null;
                }

                return new SignalEvent(Source, SignalKinds.CheckRunCompleted, check.Repository.FullName)
                {
                    Name = run.Name,
                    Conclusion = run.Conclusion?.StringValue,
                    Ref = run.CheckSuite?.HeadBranch,
                    Sha = run.HeadSha,
                    Url = run.HtmlUrl,
                    At = run.CompletedAt,
                    InstallationId = check.Installation?.Id,
                };
            case "workflow_run":
                var workflow = JsonSerializer.Deserialize<WorkflowRunEvent>(body);
                if (workflow?.Action != "completed" || workflow.WorkflowRun is not { } workflowRun || workflow.Repository is null)
                {
                    return null;
                }

                return new SignalEvent(Source, SignalKinds.WorkflowRunCompleted, workflow.Repository.FullName)
                {
                    Name = workflow.Workflow?.Name is { Length: > 0 } name ? name : workflowRun.Name,
                    Conclusion = workflowRun.Conclusion?.StringValue,
                    Ref = workflowRun.HeadBranch,
                    Sha = workflowRun.HeadSha,
                    Url = workflowRun.HtmlUrl,
                    At = workflowRun.UpdatedAt,
                    InstallationId = workflow.Installation?.Id,
                };
            case "release":
                var release = JsonSerializer.Deserialize<ReleaseEvent>(body);
                if (release?.Action is not ("created" or "published" or "released" or "prereleased" or "edited") || release.Release is not { } githubRelease || release.Repository is null)
                {
                    return null;
                }

                return new SignalEvent(Source, SignalKinds.Release, release.Repository.FullName)
                {
                    Tag = githubRelease.TagName,
                    Name = githubRelease.Draft ? "draft" : "published",
                    Url = githubRelease.HtmlUrl,
                    At = githubRelease.PublishedAt ?? githubRelease.CreatedAt,
                    InstallationId = release.Installation?.Id,
                };
            case "deployment_status":
                var status = JsonSerializer.Deserialize<DeploymentStatusEvent>(body);
                if (status?.DeploymentStatus is not { } deploymentStatus || status.Deployment is not { } deployment || status.Repository is null)
                {
                    return null;
                }

                return new SignalEvent(Source, SignalKinds.DeploymentStatus, status.Repository.FullName)
                {
                    Conclusion = deploymentStatus.State?.StringValue,
                    Environment = deployment.Environment ?? deploymentStatus.Environment,
                    Ref = deployment.Ref,
                    Sha = deployment.Sha,
                    Number = deployment.Id,
                    Url = Link(deploymentStatus.LogUrl) ?? Link(deploymentStatus.TargetUrl) ?? Link(deploymentStatus.EnvironmentUrl) ?? $"{status.Repository.HtmlUrl}/deployments",
                    At = deploymentStatus.CreatedAt,
                    InstallationId = status.Installation?.Id,
                };
            case "deployment_protection_rule":
                var rule = JsonSerializer.Deserialize<DeploymentProtectionRuleEvent>(body);
                if (rule?.Action != "requested" || rule.DeploymentCallbackUrl is not { Length: > 0 } callback || rule.Repository is null)
                {
                    return null;
                }

                return new SignalEvent(Source, SignalKinds.DeploymentProtectionRule, rule.Repository.FullName)
                {
                    Environment = rule.Environment,
                    Ref = rule.Deployment?.Ref,
                    Sha = rule.Deployment?.Sha,
                    Number = rule.Deployment?.Id,
                    CallbackUrl = callback,
                    Url = $"{rule.Repository.HtmlUrl}/deployments",
                    InstallationId = rule.Installation?.Id,
                };
            default:
                return null;
        }
    }

    private static string? Link(string? url) => url is { Length: > 0 } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? url : null;
}
