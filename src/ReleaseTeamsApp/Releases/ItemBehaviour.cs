namespace ReleaseTeamsApp.Releases;

/// <summary>
/// What the app does because of an item, declared per item in the template (<c>"behaviour": "rollback.restore"</c>), so a
/// custom template's items can carry it under their own ids and texts.
/// </summary>
internal static class ItemBehaviour
{
    /// <summary>Ticked with the rollback's reason when a rollback is approved.</summary>
    public const string RollbackIncident = "rollback.incident";

    /// <summary>Ticked with who approved (or overrode) when a rollback is approved.</summary>
    public const string RollbackDecision = "rollback.decision";

    /// <summary>Done while an approved rollback is open: the rollback is restored (and "rollback restored" ticks it).</summary>
    public const string RollbackRestore = "rollback.restore";

    /// <summary>The owner is asked to confirm the logs 24 hours after the deployment finished.</summary>
    public const string MonitoringCheckIn24h = "monitoring.checkin-24h";

    /// <summary>The owner is asked to confirm the logs 48 hours after the deployment finished.</summary>
    public const string MonitoringCheckIn48h = "monitoring.checkin-48h";

    /// <summary>The owner is asked to hand the release over to support 24 hours after the deployment finished.</summary>
    public const string SupportHandoff = "support.handoff";

    /// <summary>The owner is asked to record the deployment metrics an hour after the deployment finished.</summary>
    public const string MetricsCapture = "metrics.capture";

    /// <summary>Every value a template may declare, in the order the README lists them.</summary>
    public static IReadOnlyList<string> Known { get; } =
        [RollbackIncident, RollbackDecision, RollbackRestore, MonitoringCheckIn24h, MonitoringCheckIn48h, SupportHandoff, MetricsCapture];

    /// <summary>The rollback behaviours act on the items of the triggered rollback checklist, so they belong to a rollback phase.</summary>
    public static bool NeedsRollbackPhase(string behaviour) => behaviour.StartsWith("rollback.", StringComparison.Ordinal);

    /// <summary>The first item of the release that declares the behaviour (the loader allows one per template).</summary>
    public static ChecklistItem? WithBehaviour(this IEnumerable<ChecklistItem> items, string behaviour)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.FirstOrDefault(i => i.Behaviour == behaviour);
    }

    public static bool Has(this ChecklistItem item, string behaviour)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Behaviour == behaviour;
    }
}
