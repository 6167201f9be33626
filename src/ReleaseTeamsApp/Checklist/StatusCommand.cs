using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Checklist;

/// <summary><c>status [2.5.0]</c>: the release's summary card.</summary>
internal sealed class StatusCommand(ReleaseCards cards, ReleaseThreadPublisher publisher) : ReleaseFlowHandler
{
    public override IReadOnlyList<CommandWord> Commands => [new("status")];

    public override IReadOnlyList<CommandHelp> Help => [new("status, or status 2.5.0", "the release's summary card", 40)];

    /// <summary>The word after status is the version, whatever it looks like (an unknown one is answered with the channel's releases).</summary>
    public override BotCommand Parse(CommandText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new BotCommand.Flow(text.Name, null, text.Words.ElementAtOrDefault(0));
    }

    public override Task HandleCommandAsync(TurnContext turn, BotCommand.Flow command, ReleaseState release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        return publisher.ReplyAsync(turn, Activity.CreateCardMessage(cards.Summary(release), $"Release {release.Release.Version}"), cancellationToken);
    }
}
