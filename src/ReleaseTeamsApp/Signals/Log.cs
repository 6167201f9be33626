using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Signals;

/// <summary>The Signals folder's log messages; event ids 4300–4399.</summary>
internal static partial class SignalsLog
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Warning, Message = "Azure DevOps call refused: AzureDevOps:WebhookSecret is not set")]
    internal static partial void AzureDevOpsNoSecret(ILogger logger);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Azure DevOps call refused: basic authentication does not match")]
    internal static partial void AzureDevOpsForged(ILogger logger);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Azure DevOps check refused: its PlanUrl is not under AzureDevOps:ApiBaseUrl")]
    internal static partial void AzureDevOpsCheckUntrusted(ILogger logger);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Warning, Message = "Azure DevOps notification {Delivery} refused: already received")]
    internal static partial void AzureDevOpsReplayed(ILogger logger, string delivery);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Information, Message = "Azure DevOps notification {Delivery} ({EventType}) accepted as {Kind}")]
    internal static partial void AzureDevOpsAccepted(ILogger logger, string delivery, string eventType, string kind);

    [LoggerMessage(EventId = 4305, Level = LogLevel.Information, Message = "Azure DevOps check of plan {PlanId} (build {BuildId}) waits for the go/no-go")]
    internal static partial void AzureDevOpsCheckWaits(ILogger logger, string planId, long buildId);

    [LoggerMessage(EventId = 4306, Level = LogLevel.Warning, Message = "Azure Monitor notification refused: token does not match")]
    internal static partial void AzureMonitorRefused(ILogger logger);

    [LoggerMessage(EventId = 4307, Level = LogLevel.Information, Message = "Azure Monitor alert {Rule} ({Condition}) accepted")]
    internal static partial void AzureMonitorAccepted(ILogger logger, string rule, string condition);

    [LoggerMessage(EventId = 4308, Level = LogLevel.Information, Message = "Release {ReleaseId}: {Source} holds {Target} for the go/no-go")]
    internal static partial void GateRequested(ILogger logger, string releaseId, string source, string target);

    [LoggerMessage(EventId = 4309, Level = LogLevel.Warning, Message = "Release {ReleaseId}: {Source} did not take the answer for {Environment}; it is sent again")]
    internal static partial void GateAnswerFailed(ILogger logger, Exception exception, string releaseId, string source, string environment);

    [LoggerMessage(EventId = 4310, Level = LogLevel.Information, Message = "Release {ReleaseId}: {Source} request for {Environment} answered, approved {Approved}")]
    internal static partial void GateAnswered(ILogger logger, string releaseId, string source, string environment, bool approved);

    [LoggerMessage(EventId = 4311, Level = LogLevel.Warning, Message = "GitHub delivery refused: GitHub:WebhookSecret is not set")]
    internal static partial void GitHubNoSecret(ILogger logger);

    [LoggerMessage(EventId = 4312, Level = LogLevel.Warning, Message = "GitHub delivery {Delivery} refused: signature does not match")]
    internal static partial void GitHubForged(ILogger logger, string delivery);

    [LoggerMessage(EventId = 4313, Level = LogLevel.Warning, Message = "GitHub delivery {Delivery} refused: already received")]
    internal static partial void GitHubReplayed(ILogger logger, string delivery);

    [LoggerMessage(EventId = 4314, Level = LogLevel.Information, Message = "GitHub delivery {Delivery} ({Event}) accepted as {Kind}")]
    internal static partial void GitHubAccepted(ILogger logger, string delivery, string @event, string kind);

    [LoggerMessage(EventId = 4315, Level = LogLevel.Information, Message = "Release {ReleaseId}: item {ItemId} {Status} by {Signal}")]
    internal static partial void ItemSettledBySignal(ILogger logger, string releaseId, string itemId, ItemStatus status, string signal);

    [LoggerMessage(EventId = 4316, Level = LogLevel.Warning, Message = "Delivery {Source} {Delivery} could not be evaluated now; it is tried again")]
    internal static partial void EvaluationRetried(ILogger logger, Exception exception, string source, string delivery);

    [LoggerMessage(EventId = 4317, Level = LogLevel.Warning, Message = "Reconciler could not read {Repository} from GitHub; it tries again next run")]
    internal static partial void ReconcilerReadFailed(ILogger logger, Exception exception, string repository);

    [LoggerMessage(EventId = 4319, Level = LogLevel.Warning, Message = "Azure DevOps run and stage notifications settle nothing: they do not name the run's branch and AzureDevOps:Token is not set to read it")]
    internal static partial void AzureDevOpsBranchUnknown(ILogger logger);

    [LoggerMessage(EventId = 4320, Level = LogLevel.Warning, Message = "Reconciler skips Azure DevOps: AzureDevOps:Token is not set, so waiting ado.pipeline items tick only from service hooks and ado.pulls items not at all")]
    internal static partial void ReconcilerNoAzureDevOpsToken(ILogger logger);

    [LoggerMessage(EventId = 4321, Level = LogLevel.Warning, Message = "Reconciler could not read {Project} from Azure DevOps; it tries again next run")]
    internal static partial void ReconcilerAzureDevOpsReadFailed(ILogger logger, Exception exception, string project);

    [LoggerMessage(EventId = 4340, Level = LogLevel.Warning, Message = "Azure DevOps pull request notifications settle nothing: AzureDevOps:Token is not set, so the app cannot re-read whether other pull requests of the release are still active; set it (scope Code: read)")]
    internal static partial void AzureDevOpsPullsUnread(ILogger logger);

    [LoggerMessage(EventId = 4318, Level = LogLevel.Warning, Message = "Release {ReleaseId}: the template's resource {Resource} could not be watched; watch it by hand")]
    internal static partial void TemplateResourceNotWatched(ILogger logger, Exception exception, string releaseId, string resource);
}
