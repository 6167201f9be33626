using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Metrics;

/// <summary>The "metrics" command: the release's metrics and the team's across its releases, as a card.</summary>
internal sealed class MetricsFlow(MetricsReader reader, ReleaseThreadPublisher publisher) : ReleaseFlowHandler
{
    public override IReadOnlyList<CommandWord> Commands => [new("metrics")];

    public override IReadOnlyList<CommandHelp> Help => [new("metrics, or metrics 2.5.0", "deployment metrics for a release and the team", 130)];

    public override async Task HandleCommandAsync(TurnContext turn, BotCommand.Flow command, ReleaseState release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(release);
        var view = new MetricsView(
            await reader.ForReleaseAsync(release.Release.Id, cancellationToken),
            await reader.ForTeamAsync(release.Release.Channel.TenantId, release.Release.Channel.TeamId, cancellationToken));
        await publisher.ReplyAsync(turn, Activity.CreateCardMessage(MetricsCard.Of(view), $"Metrics {release.Release.Version}"), cancellationToken);
    }
}
