using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Planning;

/// <summary><c>templates</c>: the checklist templates this team can start a release from.</summary>
internal sealed class TemplatesCommand(ReleaseCreation creation, ReleaseThreadPublisher publisher) : BotOperation
{
    public override IReadOnlyList<CommandWord> Commands => [new("templates")];

    public override IReadOnlyList<CommandHelp> Help => [new("templates", "the checklist templates this team can start a release from", 30)];

    public override BotCommand Parse(CommandText text) => new BotCommand.Plain();

    public override async Task HandleCommandAsync(TurnContext turn, BotCommand command, CancellationToken cancellationToken) =>
        await publisher.ReplyTextAsync(turn, await creation.TemplateListTextAsync(turn, cancellationToken), cancellationToken);
}
