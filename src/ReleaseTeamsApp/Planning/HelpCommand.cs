using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Planning;

/// <summary><c>help</c> (or <c>?</c>, or a mention with nothing after it): the help card, listing every operation's commands.</summary>
internal sealed class HelpCommand(ReleaseThreadPublisher publisher) : BotOperation
{
    public override IReadOnlyList<CommandWord> Commands => [new("help"), new("?")];

    public override IReadOnlyList<CommandHelp> Help => [new("help", "what I can do", 0)];

    public override BotCommand Parse(CommandText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Rest.Length == 0 ? new BotCommand.Plain() : BotCommandParser.Unknown(text.Message);
    }

    public override Task HandleCommandAsync(TurnContext turn, BotCommand command, CancellationToken cancellationToken) =>
        publisher.ReplyAsync(turn, Activity.CreateCardMessage(StartCards.Help(AppManifest.ShortName, Router.Help), "What I can do"), cancellationToken);
}
