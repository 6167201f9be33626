using System.Globalization;
using ReleaseTeamsApp.Graph;

namespace ReleaseTeamsApp.Outbox;

/// <summary>One line of the outbox report.</summary>
internal sealed record OutboxReportLine(string Key, OutboxKind Kind, OutboxStatus Status, int Attempts, string? LastError, DateTimeOffset NextAttemptAt, DateTimeOffset UpdatedAt, OutboxResult? Result)
{
    public string Text => Status switch
    {
        OutboxStatus.Dead => $"{Kind}: dead after {Attempts} attempt(s): {LastError}",
        OutboxStatus.Pending when Attempts > 0 => string.Create(CultureInfo.InvariantCulture, $"{Kind}: retry {Attempts + 1} at {NextAttemptAt:yyyy-MM-dd HH:mm} UTC (last error: {LastError})"),
        OutboxStatus.Pending => $"{Kind}: queued",
        OutboxStatus.Sending => $"{Kind}: sending (attempt {Attempts})",
        OutboxStatus.Recorded => $"{Kind}: recorded (Recording mode, nothing sent)",
        _ => $"{Kind}: sent" + (Result?.JoinUrl is { } join ? $" — {join}" : ""),
    };
}

/// <summary>The Graph writes of one release for the <c>outbox</c> command and the tab: dead ones first, then waiting, then done.</summary>
internal sealed class OutboxReport(GraphOutbox outbox)
{
    public async Task<IReadOnlyList<OutboxReportLine>> ListAsync(string releaseId, CancellationToken cancellationToken)
    {
        var entries = await outbox.ListAsync(releaseId, cancellationToken);
        return entries
            .OrderBy(e => Rank(e.Status))
            .ThenByDescending(e => e.UpdatedAt)
            .Select(e => new OutboxReportLine(e.Key, e.Kind, e.Status, e.Attempts, e.LastError, e.NextAttemptAt, e.UpdatedAt, e.Result))
            .ToList();
    }

    private static int Rank(OutboxStatus status) => status switch
    {
        OutboxStatus.Dead => 0,
        OutboxStatus.Pending or OutboxStatus.Sending => 1,
        _ => 2,
    };
}
