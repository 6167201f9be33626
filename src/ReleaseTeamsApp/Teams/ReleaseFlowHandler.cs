using System.Text.RegularExpressions;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Teams;

/// <summary>
/// An operation on one release (go/no-go, deployment, rollback, announcements, metrics, outbox, close…): its commands
/// read as a <see cref="BotCommand.Flow"/>, and the router finds the release they are about (<see cref="ReleaseResolution"/>)
/// before <see cref="HandleCommandAsync(TurnContext, BotCommand.Flow, ReleaseState, CancellationToken)"/>.
/// </summary>
internal abstract partial class ReleaseFlowHandler : BotOperation
{
    /// <summary>
    /// The common form: an optional version, and after --override, --force or --reason the text of an audited override
    /// or a rollback reason. Operations with an argument (deploy start, announce release…) read their own.
    /// </summary>
    public override BotCommand Parse(CommandText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (words, reason) = Arguments(text);
        return new BotCommand.Flow(text.Name, null, words.ElementAtOrDefault(0), reason);
    }

    public virtual Task HandleCommandAsync(TurnContext turn, BotCommand.Flow command, ReleaseState release, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Handles a command that needs no release (true), before the release is resolved; e.g. a team-wide setting.</summary>
    public virtual Task<bool> HandleWithoutReleaseAsync(TurnContext turn, BotCommand.Flow command, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>The words after the command with a trailing --override/--force/--reason flag taken off, and the flag's text (null without one).</summary>
    protected static (string[] Words, string? Reason) Arguments(CommandText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rest = text.Rest;
        string? reason = null;
        if (ReasonPattern().Match(rest) is { Success: true } flag)
        {
            reason = flag.Groups["reason"].Value.Trim();
            rest = rest[..flag.Index];
        }

        return (rest.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries), reason);
    }

    [GeneratedRegex(@"(?:^|\s)--(?:override|force|reason)(?:\s+(?<reason>.*))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReasonPattern();
}
