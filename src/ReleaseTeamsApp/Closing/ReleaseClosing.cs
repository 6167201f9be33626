using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Closing;

/// <summary>
/// The one close, for the close command and the follow-up sweep: decide on fresh state, commit, archive the report
/// (Markdown and CSV) and post the report card in the release thread.
/// </summary>
public sealed class ReleaseClosing(IReleaseStore store, ReleaseThreadPublisher publisher, TimeProvider time, ILogger<ReleaseClosing> logger, ReleaseLinks? links = null)
{
    /// <summary>
    /// Closes the release. The sweep's close is retried (its sent-marker) until the report is out, so a sweep that
    /// finds the release already closed by its own earlier attempt archives and posts again.
    /// </summary>
    /// <returns>The change (for the reply) and the release as it is after the close.</returns>
    public async Task<(ReleaseChange Change, ReleaseState State)> CloseAsync(string releaseId, Closer closer, TurnContext? turn, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(closer);
        var now = time.GetUtcNow();
        var (change, state) = await store.ChangeAsync(
            releaseId, s => s.IsDuplicate && closer is Closer.Manager ? ReleaseChange.Unchanged("") : ReleaseClose.Decide(s, closer, now), idempotencyKey, cancellationToken);

        if (change.Applied || (closer is Closer.Sweep && state.Release.Status == ReleaseStatus.Closed))
        {
            ClosingLog.Closed(logger, releaseId, closer is Closer.Manager ? "close command" : "follow-up sweep");
            await ReportAsync(state, closer, turn, cancellationToken);
        }

        return (change, state);
    }

    /// <summary>The closing report: archived with the release (report.md, report.csv) and posted as a card in its thread.</summary>
    private async Task ReportAsync(ReleaseState state, Closer closer, TurnContext? turn, CancellationToken cancellationToken)
    {
        var release = state.Release;
        var audit = await store.GetAuditAsync(release.Id, cancellationToken);
        await store.SaveReportAsync(release.Id, ReleaseReportFormat.Markdown, ReleaseReport.Markdown(state, audit), cancellationToken);
        await store.SaveReportAsync(release.Id, ReleaseReportFormat.Csv, ReleaseReport.Csv(state, audit), cancellationToken);
        // A release without a thread (one the sweep closes, or one seeded without Teams) has nowhere to post unless the close was typed.
        if (release.Thread is null && turn is null)
        {
            return;
        }

        var card = ReleaseReportCard.Build(state, closer, links);
        await publisher.PostInThreadAsync(turn, release, Activity.CreateCardMessage(card, ReleaseReportCard.Summary(release, closer)), cancellationToken);
    }
}
