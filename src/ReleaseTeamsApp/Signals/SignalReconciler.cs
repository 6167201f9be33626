using System.Globalization;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Signals;

/// <summary>
/// Re-reads over REST what signalled items still wait for (GitHub, Azure DevOps pipelines and pull requests), so a lost webhook only delays a tick; and ticks
/// monitor.quiet items whose window passed without an alert on the release's watched resources.
/// </summary>
public sealed class SignalReconciler(SignalLinks links, GitHubApi github, AzureDevOpsRuns azureDevOps, SignalEvaluator evaluator, TimeProvider time, ILogger<SignalReconciler> logger)
{
    private int _noAzureDevOpsTokenLogged;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var changed = 0;
        if (github.IsConfigured)
        {
            foreach (var repository in await links.TargetsAsync(LinkKind.GitHub, cancellationToken))
            {
                foreach (var state in await links.ReleasesFollowingAsync(LinkKind.GitHub, repository, cancellationToken))
                {
                    try
                    {
                        changed += await ReconcileGitHubAsync(state, repository, cancellationToken);
                    }
                    catch (Exception ex) when (ex is Octokit.ApiException or HttpRequestException)
                    {
                        SignalsLog.ReconcilerReadFailed(logger, ex, repository);
                    }
                }
            }
        }

        var projects = await links.TargetsAsync(LinkKind.AzureDevOps, cancellationToken);
        if (projects.Count > 0 && !azureDevOps.IsConfigured)
        {
            if (Interlocked.Exchange(ref _noAzureDevOpsTokenLogged, 1) == 0)
            {
                SignalsLog.ReconcilerNoAzureDevOpsToken(logger);
            }
        }
        else
        {
            foreach (var project in projects)
            {
                foreach (var state in await links.ReleasesFollowingAsync(LinkKind.AzureDevOps, project, cancellationToken))
                {
                    try
                    {
                        changed += await ReconcileAzureDevOpsAsync(state, project, cancellationToken);
                    }
                    catch (HttpRequestException ex)
                    {
                        SignalsLog.ReconcilerAzureDevOpsReadFailed(logger, ex, project);
                    }
                }
            }
        }

        var quiet = new Dictionary<string, ReleaseState>(StringComparer.Ordinal);
        foreach (var resource in await links.TargetsAsync(LinkKind.AzureResource, cancellationToken))
        {
            foreach (var state in await links.ReleasesFollowingAsync(LinkKind.AzureResource, resource, cancellationToken))
            {
                quiet.TryAdd(state.Release.Id, state);
            }
        }

        foreach (var state in quiet.Values)
        {
            changed += await QuietAsync(state, cancellationToken);
        }

        return changed;
    }

    private async Task<int> ReconcileAzureDevOpsAsync(ReleaseState state, string project, CancellationToken cancellationToken)
    {
        var version = state.Release.Version;
        var observations = new List<SignalObservation>();
        foreach (var item in state.Items.Where(i => i.Signal is { Type: SignalTypes.AzureDevOpsPulls } && Waiting(i)))
        {
            // A lost git.pullrequest.merged notification: the item ticks once a pull request of the release merged and none is active.
            var pulls = await azureDevOps.ReleasePullsAsync(project, item.Signal!, version, readCompleted: true, cancellationToken);
            if (pulls.Active.Count == 0 && pulls.AnyCompleted && SignalObserver.AzurePullsMerged(item, item.Signal!, version, pulls.ListUrl, project, null) is var merged && Changes(item, merged))
            {
                observations.Add(merged);
            }
        }

        foreach (var item in state.Items.Where(i => i.Signal is { Type: SignalTypes.AzureDevOpsPipeline } && Waiting(i)))
        {
            var spec = item.Signal!;
            if (await azureDevOps.LatestRunAsync(project, spec, version, cancellationToken) is not { } run)
            {
                continue;
            }

            var (what, result) = spec.Stage is { } stage
                ? ($"Stage {stage} of {spec.Name}", await azureDevOps.StageResultAsync(project, run.Id, stage, cancellationToken))
                : ($"Pipeline {spec.Name}", run.Result);
            var evidence = SignalObserver.Evidence(run.Url, $"https://dev.azure.com/{project}");
            var observed = result switch
            {
                "succeeded" => new SignalObservation(item.Id, ItemAction.Complete, $"{what} succeeded", evidence),
                "failed" => new SignalObservation(item.Id, ItemAction.Block, $"{what} ended with failed", evidence),
                _ => null,
            };
            if (observed is not null && Changes(item, observed))
            {
                observations.Add(observed);
            }
        }

        return await ApplyAsync(state, observations, SignalDecisions.AzureDevOps, cancellationToken);
    }

    /// <summary>An item a signal may still settle: open or blocked, not last changed by a person, and (on demand) triggered.</summary>
    private static bool Waiting(ChecklistItem item) =>
        item.Status is ItemStatus.Open or ItemStatus.Blocked && item.ChangedBy is null or { IsSignal: true } && !(item.OnDemand && item.DueAt is null);

    private static bool Changes(ChecklistItem item, SignalObservation observed) =>
        observed.Action == ItemAction.Complete ? item.Status != ItemStatus.Done : item.Status != ItemStatus.Blocked || item.Note != observed.Note;

    private async Task<int> ReconcileGitHubAsync(ReleaseState state, string repository, CancellationToken cancellationToken)
    {
        var version = state.Release.Version;
        var observations = new List<SignalObservation>();
        foreach (var item in state.Items.Where(i => i.Signal is { IsGitHub: true } && Waiting(i)))
        {
            var spec = item.Signal!;
            var observed = spec.Type switch
            {
                SignalTypes.GitHubPulls => SignalObserver.Pulls(item, spec, await github.PullsAsync(repository, null, spec.Milestone is { } m ? ItemSignal.Expand(m, version) : null, spec.Label is { } l ? ItemSignal.Expand(l, version) : null), version, repository),
                SignalTypes.GitHubChecks => Run(item, $"Check \"{spec.Name}\"", await github.CheckRunAsync(repository, null, spec.Name!, spec.RefsFor(version)), repository),
                SignalTypes.GitHubWorkflow => Run(item, $"Workflow \"{spec.Name}\"", await github.WorkflowRunAsync(repository, null, spec.Name!, spec.RefsFor(version)), repository),
                SignalTypes.GitHubRelease => await github.ReleaseAsync(repository, null, ItemSignal.Expand(spec.Tag ?? "v{version}", version)) is { } release
                    ? new SignalObservation(item.Id, ItemAction.Complete, $"GitHub release {ItemSignal.Expand(spec.Tag ?? "v{version}", version)} {(release.Conclusion == "draft" ? "drafted" : "published")}", SignalObserver.Evidence(release.Url, repository))
                    : null,
                SignalTypes.GitHubDeployment => Deployment(item, spec, await github.DeploymentAsync(repository, null, spec.Environment!, spec.RefsFor(version)), repository),
                _ => null,
            };
            if (observed is not null && Changes(item, observed))
            {
                observations.Add(observed);
            }
        }

        return await ApplyAsync(state, observations, SignalDecisions.GitHub, cancellationToken);
    }

    private async Task<int> QuietAsync(ReleaseState state, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var observations = new List<SignalObservation>();
        foreach (var item in state.Items.Where(i => i.Signal is { Type: SignalTypes.MonitorQuiet } && i.Status == ItemStatus.Open && i.ChangedBy is null or { IsSignal: true }))
        {
            if (SignalObserver.QuietWindow(state.Release, item.Signal!) is { } window && window.End <= now)
            {
                observations.Add(new SignalObservation(item.Id, ItemAction.Complete,
                    string.Create(CultureInfo.InvariantCulture, $"No Sev{item.Signal!.Severity ?? 1} or worse alert on the watched resources from {state.Release.LocalText(window.Start)} to {state.Release.LocalText(window.End)}"),
                    "https://portal.azure.com/#view/Microsoft_Azure_Monitoring/AzureMonitoringBrowseBlade/~/alertsV2"));
            }
        }

        return await ApplyAsync(state, observations, SignalDecisions.AzureMonitor, cancellationToken);
    }

    private async Task<int> ApplyAsync(ReleaseState state, List<SignalObservation> observations, Person signal, CancellationToken cancellationToken)
    {
        if (observations.Count == 0)
        {
            return 0;
        }

        // One key per observed result: re-reading the same state again writes nothing new.
        var key = "reconcile|" + string.Join(";", observations.Select(o => $"{o.ItemId}:{o.Action}:{o.Evidence}"));
        var outcome = await evaluator.ApplyAsync(state.Release.Id, observations, signal, key.Length > 200 ? key[..200] : key, cancellationToken);
        return outcome.Applied.Count;
    }

    private static SignalObservation? Run(ChecklistItem item, string what, RunState? run, string repository) => run?.Conclusion switch
    {
        "success" => new SignalObservation(item.Id, ItemAction.Complete, $"{what} succeeded", SignalObserver.Evidence(run.Url, repository)),
        "failure" or "timed_out" or "startup_failure" => new SignalObservation(item.Id, ItemAction.Block, $"{what} ended with {run.Conclusion}", SignalObserver.Evidence(run.Url, repository)),
        _ => null,
    };

    private static SignalObservation? Deployment(ChecklistItem item, ItemSignal spec, RunState? status, string repository) => status?.Conclusion switch
    {
        "success" => new SignalObservation(item.Id, ItemAction.Complete, $"Deployment to {spec.Environment} succeeded", SignalObserver.Evidence(status.Url, repository)),
        "failure" or "error" => new SignalObservation(item.Id, ItemAction.Block, $"Deployment to {spec.Environment} ended with {status.Conclusion}", SignalObserver.Evidence(status.Url, repository)),
        _ => null,
    };
}
