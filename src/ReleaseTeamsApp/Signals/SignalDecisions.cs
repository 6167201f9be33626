using ReleaseTeamsApp.ReleaseDay;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Signals;

/// <summary>The deployment a signal reports: it started, or it finished.</summary>
public enum DeploymentMark
{
    None,
    Started,
    Finished,
}

/// <summary>What a signal says about one item: tick it or block it, why, and the link that proves it.</summary>
public sealed record SignalObservation(string ItemId, ItemAction Action, string Note, string Evidence, DeploymentMark Deployment = DeploymentMark.None, DateTimeOffset? At = null);

/// <summary>An item a person settled by hand that a signal disagrees with: left as the person set it, and said so in the thread.</summary>
public sealed record HeldByPerson(ChecklistItem Item, SignalObservation Observation);

public sealed record SignalOutcome(IReadOnlyList<ItemChangeOutcome.Applied> Applied, IReadOnlyList<HeldByPerson> Held, bool DeploymentChanged)
{
    public static SignalOutcome None { get; } = new([], [], false);

    public bool Changed => Applied.Count > 0 || DeploymentChanged;
}

/// <summary>
/// Applies a signal's observations to fresh release state through the same rules a person's tick goes through
/// (<see cref="ItemChanges.Apply"/> and <see cref="ReleaseDaySteps.ItemChanged"/>), audited as done by the signal.
/// An item a person changed last is never changed by a signal.
/// </summary>
internal static class SignalDecisions
{
    public static readonly Person GitHub = new("signal:github", "GitHub");
    public static readonly Person AzureDevOps = new("signal:azure-devops", "Azure DevOps");
    public static readonly Person AzureMonitor = new("signal:azure-monitor", "Azure Monitor");

    public static Person ActorFor(string source) => source switch
    {
        "azure-devops" => AzureDevOps,
        "azure-monitor" => AzureMonitor,
        _ => GitHub,
    };

    public static ReleaseChange<SignalOutcome> Decide(ReleaseState state, IReadOnlyList<SignalObservation> observations, Person signal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(observations);
        if (state.IsDuplicate || state.Release.Status == ReleaseStatus.Closed)
        {
            return ReleaseChange.Unchanged("").Returning(SignalOutcome.None);
        }

        var current = state;
        var items = new Dictionary<string, ChecklistItem>(StringComparer.Ordinal);
        var audit = new List<AuditEvent>();
        Release? release = null;
        var applied = new List<ItemChangeOutcome.Applied>();
        var held = new List<HeldByPerson>();
        foreach (var observation in observations)
        {
            if (observation.Deployment != DeploymentMark.None && Deploy(current.Release, observation, signal, now) is { } deployed)
            {
                release = deployed.Release;
                audit.Add(deployed.Audit);
                current = current.With(ReleaseChange.Record(release));
            }

            if (observation.Deployment == DeploymentMark.Started || current.Item(observation.ItemId) is not { } item)
            {
                continue;
            }

            if (item.ChangedBy is { IsSignal: false } && item.Status != StatusOf(observation.Action))
            {
                held.Add(new HeldByPerson(item, observation));
                continue;
            }

            var change = new ItemChange(item.Id, observation.Action, signal, observation.Note, observation.Evidence);
            if (ItemChanges.Apply(current.Release, item, change, now) is ItemChangeOutcome.Applied done)
            {
                var write = ReleaseDaySteps.ItemChanged(current, done, now);
                foreach (var written in write.Items)
                {
                    items[written.Id] = written;
                }

                audit.AddRange(write.Audit);
                release = write.Release ?? release;
                applied.Add(done);
                current = current.With(write);
            }
        }

        var deploymentChanged = release is not null;
        if (applied.Count > 0)
        {
            // The owners hear about it in their next digest, with the evidence, even if they missed the card.
            var notes = current.Release.SignalNotes;
            foreach (var done in applied)
            {
                notes = SignalNote.Add(notes, new SignalNote(done.Item.Id, done.Item.Text, done.Item.Status, done.Item.Owner, signal.Name, done.Item.EvidenceUrl, now, []), now);
            }

            release = current.Release with { SignalNotes = notes };
        }

        var result = new SignalOutcome(applied, held, deploymentChanged);
        return (applied.Count == 0 && release is null ? ReleaseChange.Unchanged("") : ReleaseChange.Record(release, items.Values.ToList(), audit)).Returning(result);
    }

    /// <summary>GitHub's deployment times become the release's deployment record (the metrics' durations); a person's record stays.</summary>
    private static (Release Release, AuditEvent Audit)? Deploy(Release release, SignalObservation observation, Person signal, DateTimeOffset now)
    {
        var at = observation.At ?? now;
        switch (observation.Deployment)
        {
            case DeploymentMark.Started when release.Deployment is null:
                var go = release.GoNoGo?.Decision is { Outcome: GoNoGoVote.Go };
                var started = release with
                {
                    Status = ReleaseStatus.Deploying,
                    Deployment = new Deployment(at, signal, OverrideReason: go ? null : "started in GitHub without a recorded GO"),
                };
                return (started, new AuditEvent(release.Id, now, signal, AuditActions.DeploymentStarted, release.Status.ToString(), nameof(ReleaseStatus.Deploying), $"{observation.Note} · {observation.Evidence}"));
            case DeploymentMark.Finished when release.Deployment is { FinishedAt: null } running:
                var done = running with { FinishedAt = at, FinishedBy = signal };
                var status = release.Status == ReleaseStatus.RolledBack ? release.Status : ReleaseStatus.Deployed;
                return (release with { Status = status, Deployment = done },
                    new AuditEvent(release.Id, now, signal, AuditActions.DeploymentFinished, release.Status.ToString(), status.ToString(), $"duration {ReleaseDaySteps.Duration(done.Duration)} · {observation.Evidence}"));
            case DeploymentMark.Finished when release.Deployment is null:
                // Only the success arrived (the in_progress status was lost): the start is unknown, so record it as the finish.
                var instant = new Deployment(at, signal, at, signal, release.GoNoGo?.Decision is { Outcome: GoNoGoVote.Go } ? null : "deployed in GitHub without a recorded GO");
                return (release with { Status = ReleaseStatus.Deployed, Deployment = instant },
                    new AuditEvent(release.Id, now, signal, AuditActions.DeploymentFinished, release.Status.ToString(), nameof(ReleaseStatus.Deployed), $"start not reported · {observation.Evidence}"));
            default:
                return null;
        }
    }

    private static ItemStatus StatusOf(ItemAction action) => action == ItemAction.Block ? ItemStatus.Blocked : ItemStatus.Done;
}
