using System.Text.Json;
using System.Text.RegularExpressions;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Teams;

/// <summary>
/// The one table from what people type or click to the operation that does it: every <see cref="BotOperation"/>'s
/// command words and card verbs. A word or verb two operations claim stops the app at startup; <see cref="Help"/> is
/// read from the same declarations.
/// </summary>
public sealed partial class BotRouter
{
    private readonly List<(CommandWord Word, BotOperation Operation)> _words = [];
    private readonly Dictionary<string, BotOperation> _verbs = new(StringComparer.Ordinal);
    private readonly ReleaseResolution _releases;
    private readonly ReleaseThreadPublisher _publisher;

    public BotRouter(IEnumerable<BotOperation> operations, ReleaseResolution releases, ReleaseThreadPublisher publisher)
    {
        ArgumentNullException.ThrowIfNull(operations);
        _releases = releases;
        _publisher = publisher;
        var all = operations.ToList();
        var owners = new Dictionary<string, BotOperation>(StringComparer.OrdinalIgnoreCase);
        foreach (var operation in all)
        {
            foreach (var word in operation.Commands)
            {
                if (!owners.TryAdd(word.Words, operation))
                {
                    throw new InvalidOperationException($"The command \"{word.Words}\" is declared by both {owners[word.Words].GetType().Name} and {operation.GetType().Name}: give one of them another word.");
                }

                _words.Add((word, operation));
            }

            foreach (var verb in operation.Verbs)
            {
                if (!_verbs.TryAdd(verb, operation))
                {
                    throw new InvalidOperationException($"The card verb \"{verb}\" is declared by both {_verbs[verb].GetType().Name} and {operation.GetType().Name}: give one of them another verb.");
                }
            }

            operation.JoinRouter(this);
        }

        // The longest words first, so "new release" is never taken for a shorter command that starts the same way.
        _words.Sort((a, b) => b.Word.Words.Length.CompareTo(a.Word.Words.Length));
        Help = all.SelectMany(o => o.Help).OrderBy(h => h.Order).ThenBy(h => h.Usage, StringComparer.Ordinal).Select(h => (h.Usage, h.Meaning)).ToList();
    }

    /// <summary>Every command with what it does, in help's order.</summary>
    public IReadOnlyList<(string Command, string Meaning)> Help { get; }

    /// <summary>The operation that owns a card verb, or null for a verb this version of the app does not know.</summary>
    public BotOperation? OwnerOf(string? verb) => verb is not null && _verbs.TryGetValue(verb, out var owner) ? owner : null;

    /// <summary>The verb of a card action: the Action.Execute invoke's, or the one an Action.Submit message carries in its data.</summary>
    public static string? VerbOf(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        try
        {
            return activity.Type == ActivityTypes.Invoke
                ? activity.GetValue<AdaptiveCardInvokeValue>()?.Action?.Verb
                : BotJson.ConvertTo<VerbData>(activity.Value)?.Verb;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Answers an Action.Execute on a card that belongs to no release (welcome, help, the new-release form) through the
    /// operation that owns its verb; null for every other action (release cards answer through their release).
    /// </summary>
    public async Task<AdaptiveCardInvokeResponse?> InvokeWithoutReleaseAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        return VerbOf(turn.Activity) is { } verb && OwnerOf(verb) is { CardsWithoutRelease: true } owner
            ? await owner.HandleVerbAsync(turn, new CardActionData(verb, null, null, null, null, null, null), cancellationToken)
            : null;
    }

    /// <summary>The same for an Action.Submit; false when the action is not of such a card.</summary>
    public async Task<bool> SubmitWithoutReleaseAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (VerbOf(turn.Activity) is not { } verb || OwnerOf(verb) is not { CardsWithoutRelease: true } owner)
        {
            return false;
        }

        await owner.HandleSubmitAsync(turn, verb, cancellationToken);
        return true;
    }

    /// <summary>
    /// Reads a message: the operation its first words name and what that operation made of the rest; an empty message
    /// asks for help. Text nobody declared is answered as an unknown command.
    /// </summary>
    /// <param name="text">The message text with the bot's own mention removed and other mentions kept as &lt;at&gt;Name&lt;/at&gt;.</param>
    /// <param name="mentions">The people mentioned in the message (from its mention entities), in order.</param>
    public (BotOperation? Operation, BotCommand Command) Parse(string? text, IReadOnlyList<Person> mentions)
    {
        var marked = Whitespace().Replace(text ?? "", " ").Trim();
        var plain = Mention().Replace(marked, "$1").Trim();
        if (plain.Length == 0)
        {
            plain = marked = "help";
        }

        foreach (var (word, operation) in _words)
        {
            if (word.Starts(plain))
            {
                var markedRest = word.Starts(marked) ? marked[word.Words.Length..].Trim() : plain[word.Words.Length..].Trim();
                return (operation, operation.Parse(new CommandText(word.Name, plain[word.Words.Length..].Trim(), markedRest, mentions, plain)));
            }
        }

        return (null, BotCommandParser.Unknown(plain));
    }

    /// <summary>Answers a parsed message: the problem and the right form, or the operation (on the release the command is about, for a release flow).</summary>
    public async Task RunAsync(TurnContext turn, BotOperation? operation, BotCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        switch (operation, command)
        {
            case (_, BotCommand.Invalid invalid):
                await _publisher.ReplyTextAsync(turn, $"{invalid.Problem}\n\nTry: **{invalid.Usage}**", cancellationToken);
                break;
            case (ReleaseFlowHandler flow, BotCommand.Flow step):
                if (!await flow.HandleWithoutReleaseAsync(turn, step, cancellationToken) && await _releases.ResolveAsync(turn, step.Version, cancellationToken) is { } target)
                {
                    await flow.HandleCommandAsync(turn, step, target, cancellationToken);
                }

                break;
            case ({ } other, _):
                await other.HandleCommandAsync(turn, command, cancellationToken);
                break;
        }
    }

    private sealed record VerbData(string? Verb);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("<at>(.*?)</at>")]
    private static partial Regex Mention();
}
