using System.Globalization;
using System.Text;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Outbox;

/// <summary><c>outbox [&lt;version&gt;]</c>: the release's Graph requests (meeting, agenda updates, mails), dead ones first with their last error.</summary>
internal sealed class OutboxCommands(OutboxReport report, ReleaseQueues queues, ReleaseThreadPublisher publisher) : ReleaseFlowHandler
{
    /// <summary>Lines in the reply; older completed entries beyond it are counted.</summary>
    public const int MaxLines = 20;

    public override IReadOnlyList<CommandWord> Commands => [new("outbox")];

    public override IReadOnlyList<CommandHelp> Help => [new("outbox, or outbox 2.5.0", "mail and meeting requests waiting, sent or failed", 140)];

    public override async Task HandleCommandAsync(TurnContext turn, BotCommand.Flow command, ReleaseState release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        var version = release.Release.Version;
        var lines = await report.ListAsync(release.Release.Id, cancellationToken);
        var poisoned = await queues.PoisonedAsync(release.Release.Id, cancellationToken);
        var failedWork = string.Concat(poisoned.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"\n- ⛔ **{(p.Queue == ReleaseQueues.CardUpdatesName ? "Card update for everyone" : "Reminder work")}** queued {p.QueuedAt:yyyy-MM-dd HH:mm} UTC failed on every attempt (in {p.Queue}-poison); the cards show stored state when refreshed.")));
        if (lines.Count == 0 && poisoned.Count > 0)
        {
            await publisher.ReplyTextAsync(turn, $"**Outbox of {version}**: no Graph request yet, {poisoned.Count} failed background update(s).\n{failedWork}", cancellationToken);
            return;
        }

        if (lines.Count == 0)
        {
            await publisher.ReplyTextAsync(turn, $"Nothing in the outbox of {version}: no meeting or mail was requested yet.", cancellationToken);
            return;
        }

        var dead = lines.Count(l => l.Status == OutboxStatus.Dead);
        var waiting = lines.Count(l => l.Status is OutboxStatus.Pending or OutboxStatus.Sending);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"**Outbox of {version}**: {lines.Count} request(s), {dead} failed, {waiting} waiting.\n");
        foreach (var line in lines.Take(MaxLines))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n- {Icon(line.Status)} **{OutboxDispatcher.What(line.Kind)}** — {Describe(line)}");
        }

        if (lines.Count > MaxLines)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n\n…and {lines.Count - MaxLines} older ones.");
        }

        text.Append(failedWork);

        await publisher.ReplyTextAsync(turn, text.ToString(), cancellationToken);
    }

    private static string Describe(OutboxReportLine line) => line.Status switch
    {
        OutboxStatus.Dead => $"failed after {line.Attempts} attempt(s). Last error: {line.LastError}",
        OutboxStatus.Pending when line.Attempts > 0 => string.Create(CultureInfo.InvariantCulture, $"retry {line.Attempts + 1} at {line.NextAttemptAt:yyyy-MM-dd HH:mm} UTC (last error: {line.LastError})"),
        OutboxStatus.Pending => "queued",
        OutboxStatus.Sending => $"sending (attempt {line.Attempts})",
        OutboxStatus.Recorded => "recorded, not sent (local mode)" + Join(line),
        _ => "sent" + Join(line),
    };

    private static string Join(OutboxReportLine line) => line.Result?.JoinUrl is { } url ? $" · [join link]({url})" : "";

    private static string Icon(OutboxStatus status) => status switch
    {
        OutboxStatus.Dead => "⛔",
        OutboxStatus.Pending or OutboxStatus.Sending => "⏳",
        OutboxStatus.Recorded => "📼",
        _ => "✅",
    };
}
