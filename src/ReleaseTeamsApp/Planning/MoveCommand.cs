using System.Globalization;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Planning;

/// <summary>Move release <paramref name="Version"/> to <paramref name="Date"/>.</summary>
internal sealed record MoveRelease(string Version, DateOnly Date) : BotCommand;

/// <summary>
/// <c>move release 2.5.0 to 2026-12-31</c>: the Release Manager moves the release date (audited); open items are
/// re-planned, the cards refreshed, and each owner of a moved item is told once in the release thread.
/// </summary>
internal sealed class MoveCommand(IReleaseStore store, ReleaseResolution releases, ReleaseThreadPublisher publisher, TimeProvider time) : BotOperation
{
    public const string Usage = "move release 2.5.0 to 2026-12-31";

    public override IReadOnlyList<CommandWord> Commands => [new("move")];

    public override IReadOnlyList<CommandHelp> Help => [new(Usage, "move the release date; due times follow and owners are told", 70)];

    public override BotCommand Parse(CommandText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Words is [var release, var version, var to, var dateText] && release.Equals("release", StringComparison.OrdinalIgnoreCase) && to.Equals("to", StringComparison.OrdinalIgnoreCase))
        {
            return BotCommandParser.TryDate(dateText, out var date)
                ? new MoveRelease(version, date)
                : new BotCommand.Invalid($"\"{BotCommandParser.Echo(dateText)}\" is not a date: write it as yyyy-MM-dd.", Usage);
        }

        return new BotCommand.Invalid("To move a release, name it and the new date.", Usage);
    }

    public override async Task HandleCommandAsync(TurnContext turn, BotCommand command, CancellationToken cancellationToken)
    {
        if (command is MoveRelease move && await releases.ResolveAsync(turn, move.Version, cancellationToken) is { } target)
        {
            await MoveAsync(turn, move, target, cancellationToken);
        }
    }

    /// <summary>The move on fresh state: only the Release Manager moves it; open items are re-planned, the move is audited.</summary>
    internal static ReleaseChange<IReadOnlyList<DueTimeMoved>> Decide(ReleaseState state, Person actor, DateOnly date, DateTimeOffset now)
    {
        var release = state.Release;
        if (!release.Roles.Holds(actor, ReleaseRole.ReleaseManager))
        {
            return ReleaseChange.Refused($"Only the Release Manager of {release.Version} ({release.Roles.HolderNames(ReleaseRole.ReleaseManager)}) can move it: ask them to say **move release {release.Version} to <yyyy-MM-dd>**.").Returning(NothingMoved);
        }

        if (release.ReleaseDate == date)
        {
            return ReleaseChange.Unchanged($"Release {release.Version} is already on {date:yyyy-MM-dd}, so nothing changed; to move it, name another date.").Returning(NothingMoved);
        }

        var moved = release with { ReleaseDate = date };
        var changes = ReleasePlanner.Replan(moved, state.Items);
        var audit = new AuditEvent(release.Id, now, actor, AuditActions.ReleaseMoved, Before: release.ReleaseDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), After: date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Note: $"{changes.Count} open items re-planned");
        return ReleaseChange.To("", moved, changes.Select(c => c.Item).ToList(), [audit]).Returning(changes);
    }

    private async Task MoveAsync(TurnContext turn, MoveRelease command, ReleaseState target, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var outcome = await store.UpdateAsync(target.Release.Id, state => Decide(state, turn.Actor, command.Date, now), turn.Activity.Id, cancellationToken);

        if (!outcome.Change.Applied)
        {
            await publisher.ReplyTextAsync(turn, outcome.Change.Message, cancellationToken);
            return;
        }

        if (await store.GetAsync(target.Release.Id, cancellationToken) is not { } fresh)
        {
            return;
        }

        await publisher.RefreshAsync(fresh, ReleaseCards.PhasesOf(fresh).Select(p => p.Id), cancellationToken);

        // Each affected owner is told once, in one short line; the cards carry every item's new due time.
        var moved = outcome.Result.Count == 1 ? "1 open item has a new due time" : $"{outcome.Result.Count} open items have new due times";
        var reply = ReleaseMovedNotice.Message(
            fresh.Release,
            $"Release {fresh.Release.Version} moved to {command.Date.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)} by {turn.Actor.Name}: {moved} ({fresh.Release.TimeZoneId}).",
            outcome.Result);
        await publisher.PostInThreadAsync(turn, fresh.Release, reply, cancellationToken);
    }

    private static readonly IReadOnlyList<DueTimeMoved> NothingMoved = [];
}
