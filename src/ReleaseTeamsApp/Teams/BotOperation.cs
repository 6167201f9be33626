using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Teams;

/// <summary>
/// One thing a person can ask the bot: the command words it answers (with their help lines), the card verbs it owns,
/// how it reads the text after its words, and what it does. Registered once in DI
/// (<c>services.AddSingleton&lt;BotOperation, TOperation&gt;()</c>); <see cref="BotRouter"/> is the only table.
/// </summary>
public abstract class BotOperation
{
    private BotRouter? _router;

    /// <summary>The words a message starts with to ask for this operation, e.g. <c>new release</c>, <c>deploy</c>.</summary>
    public virtual IReadOnlyList<CommandWord> Commands => [];

    /// <summary>What <c>help</c> lists for this operation; <see cref="CommandHelp.Order"/> places it among the others.</summary>
    public virtual IReadOnlyList<CommandHelp> Help => [];

    /// <summary>Action.Execute (and Action.Submit) verbs of the cards this operation posts.</summary>
    public virtual IReadOnlyCollection<string> Verbs => [];

    /// <summary>Reads the text after one of <see cref="Commands"/>; a <see cref="BotCommand.Invalid"/> says what was wrong and the right form.</summary>
    public virtual BotCommand Parse(CommandText text) => throw new NotSupportedException($"{GetType().Name} declares commands but does not read them.");

    /// <summary>Does what <paramref name="command"/> (as <see cref="Parse"/> read it) asks, answering in the conversation.</summary>
    public virtual Task HandleCommandAsync(TurnContext turn, BotCommand command, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The cards of <see cref="Verbs"/> belong to no release (welcome, help, the new-release form): their actions come
    /// to <see cref="HandleVerbAsync"/> and <see cref="HandleSubmitAsync"/> as they are, with no release to check.
    /// </summary>
    public virtual bool CardsWithoutRelease => false;

    /// <summary>
    /// Handles an Action.Execute of one of <see cref="Verbs"/>: on a release card the release is checked to be of this
    /// channel first; with <see cref="CardsWithoutRelease"/> the data carries only the verb (the inputs are in the activity).
    /// </summary>
    public virtual Task<AdaptiveCardInvokeResponse> HandleVerbAsync(TurnContext turn, CardActionData data, CancellationToken cancellationToken) =>
        Task.FromResult(AdaptiveCardInvokeResponse.BadRequest($"\"{data?.Verb}\" is not handled here."));

    /// <summary>An Action.Submit of one of <see cref="Verbs"/> (clients without Universal Actions) on a card that belongs to no release: answered in the conversation.</summary>
    public virtual Task HandleSubmitAsync(TurnContext turn, string verb, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} posts cards of releases only; their submits go through the release.");

    /// <summary>The router this operation is part of, for operations that list its table (help).</summary>
    protected BotRouter Router => _router ?? throw new InvalidOperationException($"{GetType().Name} is not part of a router: register it with services.AddSingleton<BotOperation, {GetType().Name}>().");

    /// <summary>Called once by the router that takes the operation into its table.</summary>
    internal void JoinRouter(BotRouter router) => _router = router;
}

/// <summary>
/// Words a command starts with (one or more, matched whole and case-insensitively), and the name the operation sees
/// (e.g. <c>gonogo</c> is read as <c>go/no-go</c>).
/// </summary>
public sealed record CommandWord(string Words, string? Name = null)
{
    public string Name { get; } = Name ?? Words;

    /// <summary>True when <paramref name="plain"/> starts with these words followed by a space or its end.</summary>
    public bool Starts(string plain) =>
        plain.StartsWith(Words, StringComparison.OrdinalIgnoreCase) && (plain.Length == Words.Length || plain[Words.Length] == ' ');
}

/// <summary>One line of the help card: how to write the command (as examples: Teams drops &lt;word&gt;), what it does, and its place in the list.</summary>
public sealed record CommandHelp(string Usage, string Meaning, int Order);

/// <summary>
/// A message as the router matched it: the command's name, the words after it (mentions as plain names), the same text
/// with mentions kept as &lt;at&gt;Name&lt;/at&gt;, the people mentioned (in order) and the whole message as typed.
/// </summary>
public sealed record CommandText(string Name, string Rest, string Marked, IReadOnlyList<Person> Mentions, string Message)
{
    /// <summary>The words after the command, split on spaces.</summary>
    public IReadOnlyList<string> Words { get; } = Rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
