namespace ReleaseTeamsApp.Signals;

/// <summary>What a delivery says, reduced to what the evaluator needs; stored in the inbox until it is evaluated.</summary>
/// <param name="Source">github, azure-devops or azure-monitor.</param>
/// <param name="Kind">One of <see cref="SignalKinds"/>.</param>
/// <param name="Target">The repository (owner/repo), project (org/project) or, for alerts, the first affected resource id.</param>
public sealed record SignalEvent(string Source, string Kind, string Target)
{
    public string? Name { get; init; }

    /// <summary>success, failure, cancelled… (GitHub conclusions, Azure DevOps results and deployment states, lower case).</summary>
    public string? Conclusion { get; init; }

    public string? Ref { get; init; }

    public string? Sha { get; init; }

    public string? Milestone { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    public long? Number { get; init; }

    /// <summary>The evidence link: the pull request, run, release, deployment or alert a person opens to check.</summary>
    public string? Url { get; init; }

    public string? Environment { get; init; }

    public string? Tag { get; init; }

    public int? Severity { get; init; }

    public IReadOnlyList<string> Resources { get; init; } = [];

    public DateTimeOffset? At { get; init; }

    /// <summary>deployment_protection_rule: where the decision is posted back.</summary>
    public string? CallbackUrl { get; init; }

    public long? InstallationId { get; init; }

    /// <summary>The pipeline stage (Azure DevOps), or the alert rule (Azure Monitor).</summary>
    public string? Stage { get; init; }

    /// <summary>Fired or Resolved (Azure Monitor).</summary>
    public string? State { get; init; }

    /// <summary>ado.run / ado.stage: the pipeline's id, with <see cref="Number"/> (the run id) enough to read the run over REST.</summary>
    public long? PipelineId { get; init; }

    /// <summary>ado.check: what Azure DevOps needs to hear the decision (the Invoke REST API check's headers).</summary>
    public PipelineCheck? Check { get; init; }
}

/// <summary>
/// An Azure DevOps "Invoke REST API" check waiting in callback mode: the headers it sent (PlanUrl, ProjectId, HubName,
/// PlanId, JobId, TimelineId, TaskInstanceId, AuthToken, BuildId), which say where the decision goes and with which token.
/// </summary>
public sealed record PipelineCheck(string PlanUrl, string ProjectId, string HubName, string PlanId, string JobId, string? TimelineId, string TaskInstanceId, string AuthToken, long BuildId);

internal static class SignalKinds
{
    public const string PullRequestMerged = "pull_request.merged";
    public const string CheckRunCompleted = "check_run.completed";
    public const string WorkflowRunCompleted = "workflow_run.completed";
    public const string Release = "release";
    public const string DeploymentStatus = "deployment_status";
    public const string DeploymentProtectionRule = "deployment_protection_rule";
    public const string PipelineRun = "ado.run";
    public const string PipelineStage = "ado.stage";
    public const string PipelineCheck = "ado.check";
    public const string Alert = "monitor.alert";
}
