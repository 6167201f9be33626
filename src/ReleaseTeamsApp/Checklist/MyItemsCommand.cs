using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Checklist;

/// <summary><c>my items</c>: the person's open items across the channel's active releases, soonest due first.</summary>
internal sealed class MyItemsCommand(ReleaseResolution releases, ReleaseCards cards, ReleaseThreadPublisher publisher) : BotOperation
{
    public override IReadOnlyList<CommandWord> Commands => [new("my items"), new("my item")];

    public override IReadOnlyList<CommandHelp> Help => [new("my items", "your open items, soonest due first", 50)];

    public override BotCommand Parse(CommandText text) => new BotCommand.Plain();

    public override async Task HandleCommandAsync(TurnContext turn, BotCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var states = await releases.ActiveAsync(turn, cancellationToken);
        await publisher.ReplyAsync(turn, Activity.CreateCardMessage(cards.MyItems(turn.Actor, states), "Your open items"), cancellationToken);
    }
}
