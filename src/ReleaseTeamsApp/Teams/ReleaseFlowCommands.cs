using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Teams;

/// <summary>The release-day commands (go/no-go, deploy, rollback, announce, metrics, outbox, close), registered by name.</summary>
public sealed class ReleaseFlowCommands(ReleaseThreadPublisher publisher)
{
    private readonly Dictionary<string, Func<TurnContext, BotCommand.Flow, ReleaseState, CancellationToken, Task>> _handlers = new(StringComparer.OrdinalIgnoreCase);

    public void Register(string name, Func<TurnContext, BotCommand.Flow, ReleaseState, CancellationToken, Task> handler) => _handlers[name] = handler;

    public Task HandleAsync(TurnContext turn, BotCommand.Flow command, ReleaseState target, CancellationToken cancellationToken) =>
        _handlers.TryGetValue(command.Name, out var handler)
            ? handler(turn, command, target, cancellationToken)
            : publisher.ReplyAsync(turn.ServiceUrl, turn.ConversationId, turn.Activity.Id, Activity.CreateMessage($"\"{command.Name}\" is not available in this installation. Say **help** for what I can do."), cancellationToken);
}
