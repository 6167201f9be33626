using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Teams;

/// <summary>
/// One feature of the release flow (go/no-go, deployment, rollback, announcements, metrics, outbox, close…):
/// the channel commands and card verbs it answers. Registered in DI; the bot routes by command name and by verb.
/// </summary>
public abstract class ReleaseFlowHandler
{
    /// <summary>Command names as <see cref="BotCommandParser"/> reports them in <see cref="BotCommand.Flow.Name"/>.</summary>
    public virtual IReadOnlyCollection<string> Commands => [];

    /// <summary>Action.Execute verbs of the cards this feature posts.</summary>
    public virtual IReadOnlyCollection<string> Verbs => [];

    public virtual Task HandleCommandAsync(TurnContext turn, BotCommand.Flow command, ReleaseState release, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Handles a command that needs no release (true), before the release is resolved; e.g. a team-wide setting.</summary>
    public virtual Task<bool> HandleWithoutReleaseAsync(TurnContext turn, BotCommand.Flow command, CancellationToken cancellationToken) => Task.FromResult(false);

    public virtual Task<AdaptiveCardInvokeResponse> HandleVerbAsync(TurnContext turn, CardActionData data, CancellationToken cancellationToken) =>
        Task.FromResult(AdaptiveCardInvokeResponse.BadRequest($"\"{data.Verb}\" is not handled here."));
}

/// <summary>Routes flow commands and card verbs to the <see cref="ReleaseFlowHandler"/> that owns them.</summary>
public sealed class ReleaseFlowCommands
{
    private readonly ReleaseThreadPublisher _publisher;
    private readonly Dictionary<string, ReleaseFlowHandler> _commands = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ReleaseFlowHandler> _verbs = new(StringComparer.Ordinal);

    public ReleaseFlowCommands(IEnumerable<ReleaseFlowHandler> handlers, ReleaseThreadPublisher publisher)
    {
        _publisher = publisher;
        foreach (var handler in handlers)
        {
            foreach (var command in handler.Commands)
            {
                _commands.Add(command, handler);
            }

            foreach (var verb in handler.Verbs)
            {
                _verbs.Add(verb, handler);
            }
        }
    }

    public bool HandlesVerb(string verb) => _verbs.ContainsKey(verb);

    public Task HandleAsync(TurnContext turn, BotCommand.Flow command, ReleaseState target, CancellationToken cancellationToken) =>
        _commands.TryGetValue(command.Name, out var handler)
            ? handler.HandleCommandAsync(turn, command, target, cancellationToken)
            : _publisher.ReplyTextAsync(turn, $"\"{command.Name}\" is not available in this installation. Say **help** for what I can do.", cancellationToken);

    /// <summary>True when the command's handler dealt with it without a release.</summary>
    public Task<bool> HandleWithoutReleaseAsync(TurnContext turn, BotCommand.Flow command, CancellationToken cancellationToken) =>
        _commands.TryGetValue(command.Name, out var handler) ? handler.HandleWithoutReleaseAsync(turn, command, cancellationToken) : Task.FromResult(false);

    public Task<AdaptiveCardInvokeResponse> HandleVerbAsync(TurnContext turn, CardActionData data, CancellationToken cancellationToken) =>
        _verbs[data.Verb!].HandleVerbAsync(turn, data, cancellationToken);
}
