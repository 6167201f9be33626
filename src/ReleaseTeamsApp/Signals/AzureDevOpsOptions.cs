namespace ReleaseTeamsApp.Signals;

/// <summary>
/// Azure DevOps (settings AzureDevOps__…): the basic-auth password the service hook subscriptions and the Invoke REST API
/// check's generic service connection send, and the base URL the app calls back under. Without a secret every call is refused.
/// </summary>
public sealed class AzureDevOpsOptions
{
    public const string Section = "AzureDevOps";

    /// <summary>The password of the subscription's (and the check connection's) basic authentication; the user name is free.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// Where Azure DevOps lives: https://dev.azure.com/ (or an Azure DevOps Server collection URL, or a local fake in tests).
    /// A check's PlanUrl must lie under it, so the app never sends the job token anywhere else.
    /// </summary>
    public Uri ApiBaseUrl { get; set; } = new("https://dev.azure.com/");

    /// <summary>
    /// A personal access token (Build: read) the app reads runs with: a run's branch when the notification does not carry
    /// it, and the runs the reconciler re-reads. Without it, run and stage notifications settle nothing and the reconciler skips Azure DevOps.
    /// </summary>
    public string? Token { get; set; }

    public bool CanReadRuns => !string.IsNullOrWhiteSpace(Token);
}
