using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Tab;

/// <summary>
/// Everything the release tab shows for one release, computed on the server so the page only renders.
/// The nullable sections belong to other features; the page hides a section that is null.
/// </summary>
public sealed record ReleaseDashboard(
    DashboardRelease Release,
    DateTimeOffset GeneratedAt,
    DashboardTotals Totals,
    IReadOnlyList<PhaseProgress> Phases,
    IReadOnlyList<DashboardItem> Items,
    IReadOnlyList<RoleHolders> Roles,
    Burndown Burndown,
    IReadOnlyList<TimelineEntry> Timeline,
    GoNoGoSection? GoNoGo = null,
    DeploymentSection? Deployment = null,
    MetricsSection? Metrics = null,
    OutboxSection? Outbox = null);

/// <summary>The header: what, when (in the team's time zone) and in which state.</summary>
public sealed record DashboardRelease(
    string Id,
    string Version,
    DateOnly ReleaseDate,
    string Window,
    string TimeZone,
    DateTimeOffset Start,
    DateTimeOffset WindowEnd,
    string Status,
    string StatusLabel,
    string? Scope,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClosedAt);

public sealed record DashboardTotals(int Items, int Settled, int Open, int Blocked, int Overdue, int RequiredOpen);

/// <summary>Done counts Done and N/A items. An on-demand phase (Rollback) is not scheduled until triggered.</summary>
public sealed record PhaseProgress(string Id, string Title, int Done, int Total, int Blocked, int Overdue, bool Scheduled);

public sealed record DashboardItem(
    string Id,
    string PhaseId,
    string SectionTitle,
    int Order,
    string Text,
    string Role,
    string RoleName,
    IReadOnlyList<string> People,
    bool Required,
    DateTimeOffset? DueAt,
    string? DueLocal,
    string Status,
    string StatusLabel,
    bool Overdue,
    string? Note,
    string? EvidenceUrl,
    string? ChangedBy,
    DateTimeOffset? ChangedAt);

public sealed record RoleHolders(string Role, string Name, IReadOnlyList<string> People);

/// <summary>Open required items over time (from the audit trail) against the plan (each item closed by its due time).</summary>
public sealed record Burndown(int TotalRequired, IReadOnlyList<BurndownPoint> Actual, IReadOnlyList<BurndownPoint> Plan);

public sealed record BurndownPoint(DateTimeOffset At, int Open);

public sealed record TimelineEntry(
    DateTimeOffset At,
    string Actor,
    string Action,
    string Summary,
    string? ItemId,
    string? ItemText,
    string? Before,
    string? After,
    string? Note);

/// <summary>Go/no-go state: pending, go or no-go, with the readiness checks the decision was taken on.</summary>
public sealed record GoNoGoSection(string State, DateTimeOffset? DecidedAt, string? DecidedBy, string? Note, IReadOnlyList<ReadinessCheck> Checks);

public sealed record ReadinessCheck(string Label, bool Passed, string? Detail = null);

public sealed record DeploymentSection(
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationMinutes,
    int Issues,
    DateTimeOffset? RolledBackAt,
    string? RollbackReason);

public sealed record MetricsSection(IReadOnlyList<MetricValue> Values);

public sealed record MetricValue(string Label, string Value, string? Detail = null);

public sealed record OutboxSection(int Pending, int Sent, int DeadLettered, IReadOnlyList<OutboxEntryView> Entries);

public sealed record OutboxEntryView(string Id, string Kind, string State, int Attempts, DateTimeOffset? UpdatedAt, string? LastError);

/// <summary>
/// A feature that owns a nullable dashboard section (go/no-go, deployment, metrics, outbox) fills it in here;
/// register implementations in DI and the tab API applies them in registration order.
/// </summary>
public interface IReleaseDashboardSection
{
    ValueTask<ReleaseDashboard> AddToAsync(ReleaseDashboard dashboard, ReleaseState state, CancellationToken cancellationToken);
}
