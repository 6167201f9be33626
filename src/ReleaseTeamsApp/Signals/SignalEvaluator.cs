using System.Text;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Signals;

/// <summary>
/// Drains the signal inbox: each delivery is matched against the releases that follow its repository, project or
/// resource, applied through the item-change rules, and the cards are refreshed. Writes carry the delivery's
/// idempotency key, so a delivery evaluated twice (a lease ran out) changes a release once.
/// </summary>
public sealed class SignalEvaluator(
    SignalInbox inbox,
    SignalLinks links,
    SignalObserver observer,
    IReleaseStore store,
    ReleaseThreadPublisher publisher,
    IEnumerable<ISignalFollowUp> followUps,
    AzureDevOpsApi azureDevOps,
    HookTraffic traffic,
    TimeProvider time,
    ILogger<SignalEvaluator> logger) : IDisposable
{
    public const int BatchSize = 64;

    /// <summary>How long after the last acknowledgement the evaluator waits before it works at full speed: deliveries come in bursts.</summary>
    public static readonly TimeSpan QuietGap = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest one step waits for a quiet moment; then it goes on, one delivery at a time, so a steady stream is still evaluated.</summary>
    public static readonly TimeSpan MaxYield = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _oneWhileBusy = new(1, 1);

    /// <summary>Evaluations so far (in this process); the benchmark compares it with the deliveries sent.</summary>
    public static long Evaluations => Interlocked.Read(ref _evaluations);

    private static long _evaluations;

    private int _branchUnknownLogged;

    private int _evaluating;

    private int _draining;

    /// <summary>Deliveries being evaluated now; the benchmark reads it next to each acknowledgement.</summary>
    public int Evaluating => Volatile.Read(ref _evaluating);

    /// <summary>True while a drain runs (claiming, evaluating or completing).</summary>
    public bool Draining => Volatile.Read(ref _draining) > 0;

    /// <summary>Evaluates everything waiting; returns how many deliveries were evaluated.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken, int parallelism = 4)
    {
        Interlocked.Increment(ref _draining);
        try
        {
            return await DrainBatchesAsync(parallelism, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _draining);
        }
    }

    private async Task<int> DrainBatchesAsync(int parallelism, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            // Acknowledgements share the storage account and the cores with this loop: while they come, it claims and evaluates little.
            var quiet = await traffic.WaitForQuietAsync(QuietGap, MaxYield, cancellationToken);
            var batch = await inbox.ClaimAsync(quiet ? BatchSize : 1, cancellationToken);
            if (batch.Count == 0)
            {
                return total;
            }

            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (delivery, ct) =>
            {
                var alone = !await traffic.WaitForQuietAsync(QuietGap, MaxYield, ct);
                if (alone)
                {
                    await _oneWhileBusy.WaitAsync(ct);
                }

                Interlocked.Increment(ref _evaluating);
                try
                {
                    string outcome;
                    try
                    {
                        outcome = await EvaluateAsync(delivery, ct);
                    }
                    catch (Exception ex) when (ex is Octokit.ApiException or HttpRequestException or InvalidOperationException)
                    {
                        // GitHub could not be read (or the app cannot call it): the delivery stays queued and is tried again when its lease runs out.
                        SignalsLog.EvaluationRetried(logger, ex, delivery.Source, delivery.DeliveryId);
                        return;
                    }

                    Interlocked.Increment(ref _evaluations);
                    await inbox.CompleteAsync(delivery, outcome, ct);
                }
                finally
                {
                    Interlocked.Decrement(ref _evaluating);
                    if (alone)
                    {
                        _oneWhileBusy.Release();
                    }
                }
            });
            total += batch.Count;
        }
    }

    public async Task<string> EvaluateAsync(PendingDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var signal = delivery.Event;
        if (signal is { Kind: SignalKinds.PipelineCheck, Check: { } check })
        {
            // A check names only its plan and build: which project, pipeline and branch it holds is read from Azure DevOps.
            var run = await azureDevOps.RunOfAsync(check, cancellationToken);
            signal = signal with { Target = signal.Target is { Length: > 0 } given ? given : run.Project, Name = run.Pipeline, Ref = run.SourceBranch, Url = run.Url };
        }

        if (signal is { Kind: SignalKinds.PipelineRun or SignalKinds.PipelineStage, Ref: null, PipelineId: { } pipelineId, Number: { } runId })
        {
            // The documented run and stage notifications do not name the branch: it is read from the run, so a run of main never ticks a release's item.
            if (azureDevOps.CanReadRuns)
            {
                signal = signal with { Ref = await azureDevOps.RunRefAsync(signal.Target, pipelineId, runId, cancellationToken) };
            }
            else if (Interlocked.Exchange(ref _branchUnknownLogged, 1) == 0)
            {
                SignalsLog.AzureDevOpsBranchUnknown(logger);
            }
        }

        var kind = signal.Source switch
        {
            "azure-devops" => LinkKind.AzureDevOps,
            "azure-monitor" => LinkKind.AzureResource,
            _ => LinkKind.GitHub,
        };
        var targets = kind == LinkKind.AzureResource ? signal.Resources.DefaultIfEmpty(signal.Target) : [signal.Target];
        var releases = new Dictionary<string, ReleaseState>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            foreach (var state in await links.ReleasesFollowingAsync(kind, target, cancellationToken))
            {
                releases.TryAdd(state.Release.Id, state);
            }
        }

        if (releases.Count == 0)
        {
            return $"no release follows {signal.Target}";
        }

        var summary = new StringBuilder();
        foreach (var state in releases.Values)
        {
            var handled = false;
            foreach (var followUp in followUps)
            {
                handled |= await followUp.HandleAsync(state, signal, delivery.Key, cancellationToken);
            }

            if (handled)
            {
                summary.Append(state.Release.Version).Append(": handled; ");
                continue;
            }

            var observations = await observer.ObserveAsync(state, signal);
            if (observations.Count == 0)
            {
                summary.Append(state.Release.Version).Append(": nothing to settle; ");
                continue;
            }

            var outcome = await ApplyAsync(state.Release.Id, observations, SignalDecisions.ActorFor(signal.Source), delivery.Key, cancellationToken);
            summary.Append(state.Release.Version).Append(": ").Append(string.Join(", ", outcome.Applied.Select(a => $"{a.Item.Id} {a.Item.Status.Label()}"))).Append("; ");
        }

        return summary.ToString();
    }

    /// <summary>Writes the observations to the release (idempotent per key), refreshes its cards and tells the thread what a person holds.</summary>
    public async Task<SignalOutcome> ApplyAsync(string releaseId, IReadOnlyList<SignalObservation> observations, Person signal, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var now = time.GetUtcNow();
        SignalOutcome outcome;
        try
        {
            outcome = (await store.UpdateAsync(releaseId, state => SignalDecisions.Decide(state, observations, signal, now), key, cancellationToken)).Result;
        }
        catch (ReleaseNotFoundException)
        {
            return SignalOutcome.None;
        }

        if (!outcome.Changed && outcome.Held.Count == 0)
        {
            return outcome;
        }

        if (await store.GetAsync(releaseId, cancellationToken) is not { } fresh)
        {
            return outcome;
        }

        foreach (var applied in outcome.Applied)
        {
            SignalsLog.ItemSettledBySignal(logger, releaseId, applied.Item.Id, applied.Item.Status, signal.Name);
        }

        var phases = outcome.Applied.Select(a => a.Item.PhaseId).ToList();
        if (outcome.DeploymentChanged)
        {
            phases.AddRange(Checklist.ReleaseCards.PhasesOf(fresh).Where(p => p.Kind == Releases.PhaseKind.ReleaseDay).Select(p => p.Id));
        }

        await publisher.RefreshAsync(fresh, phases, cancellationToken);
        foreach (var held in outcome.Held)
        {
            var by = held.Item.ChangedBy!.Name;
            var text = $"{signal.Name} reports: {held.Observation.Note} ([evidence]({held.Observation.Evidence})). {by} set \"{held.Item.Text}\" to {held.Item.Status.Label()} by hand, so I left it as it is. {by} or the Release Manager can change it on the card.";
            await PostAsync(fresh.Release, text, cancellationToken);
        }

        foreach (var followUp in followUps)
        {
            await followUp.AppliedAsync(fresh, outcome, cancellationToken);
        }

        return outcome;
    }

    public void Dispose() => _oneWhileBusy.Dispose();

    private async Task PostAsync(Release release, string markdown, CancellationToken cancellationToken)
    {
        if (release.Thread is not null)
        {
            await publisher.PostInThreadAsync(null, release, Activity.CreateMessage(markdown, TextFormatTypes.Markdown), cancellationToken);
        }
    }

}

/// <summary>Something a signal triggers beyond ticking items: the deployment gate, the rollback offer after an alert.</summary>
public interface ISignalFollowUp
{
    /// <summary>Handles an event entirely (true) instead of the item evaluation, e.g. a deployment protection rule.</summary>
    Task<bool> HandleAsync(ReleaseState state, SignalEvent signal, string key, CancellationToken cancellationToken);

    /// <summary>Runs after a signal changed a release.</summary>
    Task AppliedAsync(ReleaseState state, SignalOutcome outcome, CancellationToken cancellationToken);
}
