using System.Globalization;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Signals;

/// <summary>
/// Matches one event against the signalled items of one release and says what it means for each: by name, ref,
/// milestone, tag or environment — never by words in a message. Pull requests are re-read over REST, because
/// "every PR merged" is a fact about all of them, not about the one the event is about.
/// </summary>
public sealed class SignalObserver(GitHubApi github, AzureDevOpsRuns azureDevOps, ILogger<SignalObserver> logger)
{
    public const int MaxEvidenceLength = ItemChanges.MaxEvidenceUrlLength;

    private int _pullsUnreadLogged;

    private static readonly string[] Succeeded = ["success", "succeeded"];
    private static readonly string[] Failed = ["failure", "failed", "timed_out", "startup_failure", "error"];

    public async Task<IReadOnlyList<SignalObservation>> ObserveAsync(ReleaseState state, SignalEvent signal)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(signal);
        var version = state.Release.Version;
        var result = new List<SignalObservation>();
        foreach (var item in state.Items.Where(i => i.Signal is not null && !(i.OnDemand && i.DueAt is null)))
        {
            var spec = item.Signal!;
            if (spec.IsGitHub != (signal.Source == GitHubDeliveries.Source))
            {
                // A GitHub signal never settles from another source's event, and the other way round.
                continue;
            }

            switch (spec.Type, signal.Kind)
            {
                case (SignalTypes.GitHubPulls, SignalKinds.PullRequestMerged) when PullsMatch(spec, signal, version):
                    var pulls = await github.PullsAsync(signal.Target, signal.InstallationId, spec.Milestone is { } m ? ItemSignal.Expand(m, version) : null, spec.Label is { } l ? ItemSignal.Expand(l, version) : null);
                    if (Pulls(item, spec, pulls, version, signal.Target) is { } observed)
                    {
                        result.Add(observed);
                    }

                    break;
                case (SignalTypes.GitHubChecks, SignalKinds.CheckRunCompleted) or (SignalTypes.GitHubWorkflow, SignalKinds.WorkflowRunCompleted)
                    when Same(spec.Name, signal.Name) && spec.MatchesRef(signal.Ref, version):
                    var what = spec.Type == SignalTypes.GitHubChecks ? "Check" : "Workflow";
                    if (Run(item, $"{what} \"{signal.Name}\" {{0}} on {signal.Ref}", signal.Conclusion, signal.Url, signal.Target) is { } run)
                    {
                        result.Add(run);
                    }

                    break;
                case (SignalTypes.GitHubRelease, SignalKinds.Release) when Same(ItemSignal.Expand(spec.Tag ?? "v{version}", version), signal.Tag):
                    result.Add(new SignalObservation(item.Id, ItemAction.Complete, $"GitHub release {signal.Tag} {(signal.Name == "draft" ? "drafted" : "published")}", Evidence(signal.Url, signal.Target)));
                    break;
                case (SignalTypes.GitHubDeployment, SignalKinds.DeploymentStatus) when Same(spec.Environment, signal.Environment) && spec.MatchesRef(signal.Ref, version):
                    if (Deployment(state, item, signal) is { } deployment)
                    {
                        result.Add(deployment);
                    }

                    break;
                case (SignalTypes.AzureDevOpsPulls, SignalKinds.PullRequestMerged) when AzurePullsMatch(spec, signal, version):
                    if (await AzurePullsAsync(item, spec, signal, version) is { } merged)
                    {
                        result.Add(merged);
                    }

                    break;
                case (SignalTypes.AzureDevOpsPipeline, SignalKinds.PipelineRun or SignalKinds.PipelineStage)
                    when Same(spec.Name, signal.Name) && spec.MatchesRef(signal.Ref, version) && (spec.Stage is null ? signal.Kind == SignalKinds.PipelineRun : signal.Kind == SignalKinds.PipelineStage && Same(spec.Stage, signal.Stage)):
                    var label = spec.Stage is null ? $"Pipeline {signal.Name} {{0}}" : $"Stage {signal.Stage} of {signal.Name} {{0}}";
                    if (Run(item, label, signal.Conclusion, signal.Url, "https://dev.azure.com/" + signal.Target) is { } pipeline)
                    {
                        result.Add(pipeline);
                    }

                    break;
                case (SignalTypes.MonitorQuiet, SignalKinds.Alert) when signal.State == "Fired" && signal.Severity <= (spec.Severity ?? 1)
                    && (spec.Resources is not { Count: > 0 } watched || watched.Intersect(signal.Resources, StringComparer.OrdinalIgnoreCase).Any()):
                    if (QuietWindow(state.Release, spec) is { } window && signal.At is { } fired && fired >= window.Start && fired < window.End)
                    {
                        result.Add(new SignalObservation(item.Id, ItemAction.Block,
                            string.Create(CultureInfo.InvariantCulture, $"Azure Monitor alert \"{signal.Name}\" (Sev{signal.Severity}) fired at {state.Release.LocalText(fired)} on {ResourceName(signal.Target)}"),
                            Evidence(signal.Url, "https://portal.azure.com/#view/Microsoft_Azure_Monitoring/AzureMonitoringBrowseBlade/~/alertsV2")));
                    }

                    break;
            }
        }

        return result;
    }

    /// <summary>The quiet window of a monitor.quiet item: from the deployment's start (or finish) for the declared length; null before that.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? QuietWindow(Release release, ItemSignal spec)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(spec);
        var start = spec.From == QuietFrom.DeploymentFinish ? release.Deployment?.FinishedAt : release.Deployment?.StartedAt;
        return start is { } from ? (from, from + (spec.Window ?? TimeSpan.FromHours(24))) : null;
    }

    public static SignalObservation? Pulls(ChecklistItem item, ItemSignal spec, PullsState pulls, string version, string repository)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(pulls);
        var which = spec.Label is { } label ? $"labelled {ItemSignal.Expand(label, version)}" : $"of milestone {ItemSignal.Expand(spec.Milestone ?? "{version}", version)}";
        if (pulls.AllMergedAndGreen)
        {
            return new SignalObservation(item.Id, ItemAction.Complete, $"All {pulls.Total} pull request(s) {which} merged, checks green", Evidence(pulls.EvidenceUrl, repository));
        }

        if (pulls.Open.Count == 0 && pulls.Failing.Count > 0)
        {
            var failing = string.Join(", ", pulls.Failing.Select(f => $"#{f.Number} ({f.Check})"));
            return new SignalObservation(item.Id, ItemAction.Block, $"All pull requests {which} are merged, but checks failed on {failing}", Evidence(pulls.EvidenceUrl, repository));
        }

        return null;
    }

    private static SignalObservation? Run(ChecklistItem item, string format, string? conclusion, string? url, string fallback)
    {
        if (Succeeded.Contains(conclusion, StringComparer.OrdinalIgnoreCase))
        {
            return new SignalObservation(item.Id, ItemAction.Complete, string.Format(CultureInfo.InvariantCulture, format, "succeeded"), Evidence(url, fallback));
        }

        return Failed.Contains(conclusion, StringComparer.OrdinalIgnoreCase)
            ? new SignalObservation(item.Id, ItemAction.Block, string.Format(CultureInfo.InvariantCulture, format, $"ended with {conclusion}"), Evidence(url, fallback))
            : null;
    }

    private static SignalObservation? Deployment(ReleaseState state, ChecklistItem item, SignalEvent signal)
    {
        // The release-day deployment's times are the release's deployment record; a staging deployment only settles its item.
        var releaseDay = IsReleaseDay(state, item);
        var evidence = Evidence(signal.Url, signal.Target);
        return signal.Conclusion switch
        {
            "in_progress" when releaseDay => new SignalObservation(item.Id, ItemAction.Complete, $"Deployment of {signal.Ref} to {signal.Environment} started", evidence, DeploymentMark.Started, signal.At),
            "success" => new SignalObservation(item.Id, ItemAction.Complete, $"Deployment of {signal.Ref} to {signal.Environment} succeeded", evidence, releaseDay ? DeploymentMark.Finished : DeploymentMark.None, signal.At),
            "failure" or "error" => new SignalObservation(item.Id, ItemAction.Block, $"Deployment of {signal.Ref} to {signal.Environment} ended with {signal.Conclusion}", evidence),
            _ => null,
        };
    }

    private static bool IsReleaseDay(ReleaseState state, ChecklistItem item) =>
        state.Release.Outline?.Phases.FirstOrDefault(p => p.Id == item.PhaseId) is { } phase ? phase.Kind == PhaseKind.ReleaseDay : item.PhaseId == "release-day";

    /// <summary>A merged pull request of the release: into its branch, or carrying its label.</summary>
    private static bool AzurePullsMatch(ItemSignal spec, SignalEvent signal, string version) =>
        spec.Label is { } label
            ? signal.Labels.Contains(ItemSignal.Expand(label, version), StringComparer.OrdinalIgnoreCase)
            : spec.MatchesRef(signal.Ref, version);

    /// <summary>
    /// "Every pull request merged" is re-read: the item ticks when none of the release's pull requests is still active.
    /// Azure DevOps creates merge commits of active pull requests too, so the event's own pull request counts as merged
    /// only when the event says it completed; otherwise the re-read must show it (or another) completed.
    /// </summary>
    private async Task<SignalObservation?> AzurePullsAsync(ChecklistItem item, ItemSignal spec, SignalEvent signal, string version)
    {
        if (!azureDevOps.IsConfigured)
        {
            if (Interlocked.Exchange(ref _pullsUnreadLogged, 1) == 0)
            {
                SignalsLog.AzureDevOpsPullsUnread(logger);
            }

            return null;
        }

        var completed = signal.Conclusion == "completed";
        var pulls = await azureDevOps.ReleasePullsAsync(signal.Target, spec, version, readCompleted: !completed, CancellationToken.None);
        if (pulls.Active.Any(id => !completed || id != signal.Number) || !(completed || pulls.AnyCompleted))
        {
            return null;
        }

        var last = completed ? string.Create(CultureInfo.InvariantCulture, $"!{signal.Number} {signal.Name}").TrimEnd() : null;
        return AzurePullsMerged(item, spec, version, pulls.ListUrl ?? AzureDevOpsDeliveries.CompletedPullsOf(signal.Url), signal.Target, last);
    }

    /// <summary>An ado.pulls item ticks: every pull request into its branch (or with its label) merged, the repository's completed pull requests as evidence.</summary>
    public static SignalObservation AzurePullsMerged(ChecklistItem item, ItemSignal spec, string version, string? listUrl, string project, string? last)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(spec);
        var (targetRef, label) = AzureDevOpsRuns.PullsTarget(spec, version);
        var which = label is not null ? $"labelled {label}"
            : targetRef!.StartsWith("refs/heads/", StringComparison.Ordinal) ? $"into {targetRef["refs/heads/".Length..]}" : $"into {targetRef}";
        return new SignalObservation(item.Id, ItemAction.Complete, $"All pull requests {which} merged{(last is null ? "" : $" (the last: {last})")}",
            Evidence(listUrl, $"https://dev.azure.com/{project}/_git"));
    }

    private static bool PullsMatch(ItemSignal spec, SignalEvent signal, string version) =>
        spec.Label is { } label
            ? signal.Labels.Contains(ItemSignal.Expand(label, version), StringComparer.OrdinalIgnoreCase)
            : Same(ItemSignal.Expand(spec.Milestone ?? "{version}", version), signal.Milestone);

    private static bool Same(string? a, string? b) => a is not null && b is not null && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>The link shown on the card; a link too long for the card falls back to the repository or project page.</summary>
    public static string Evidence(string? url, string fallback)
    {
        var home = fallback.StartsWith("http", StringComparison.Ordinal) ? fallback : $"https://github.com/{fallback}";
        return url is { Length: > 0 and <= MaxEvidenceLength } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? url : home[..Math.Min(home.Length, MaxEvidenceLength)];
    }

    private static string ResourceName(string resourceId) => resourceId.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? resourceId;
}
