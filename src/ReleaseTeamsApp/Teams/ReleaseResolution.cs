using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Teams;

/// <summary>
/// Finds the release a command is about: the named version, else the release whose thread the command was sent in,
/// else the only active release of the channel. Otherwise the person is told what to name.
/// </summary>
public sealed class ReleaseResolution(IReleaseStore store, ReleaseThreadPublisher publisher)
{
    public async Task<ReleaseState?> ResolveAsync(TurnContext turn, string? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (version is not null)
        {
            var id = await store.FindIdAsync(turn.Channel, version, cancellationToken);
            if (id is not null && await store.GetAsync(id, cancellationToken) is { } named)
            {
                return named;
            }

            var known = await ActiveAsync(turn, cancellationToken);
            await publisher.ReplyTextAsync(turn, $"There is no release {BotCommandParser.Shorten(version, TextLimits.Version)} in this channel." + (known.Count > 0 ? $" Releases here: {string.Join(", ", known.Select(k => k.Release.Version))}; name one of them." : $" Start it with **{BotCommandParser.NewReleaseUsage}**."), cancellationToken);
            return null;
        }

        var active = await ActiveAsync(turn, cancellationToken);
        if (active.FirstOrDefault(s => s.Release.Thread?.ConversationId == turn.ConversationId) is { } inThread)
        {
            return inThread;
        }

        switch (active.Count)
        {
            case 1:
                return active[0];
            case 0:
                await publisher.ReplyTextAsync(turn, $"There is no active release in this channel. Start one with: **{BotCommandParser.NewReleaseUsage}**", cancellationToken);
                return null;
            default:
                await publisher.ReplyTextAsync(turn, $"Which release? This channel has {string.Join(", ", active.Select(a => a.Release.Version))}. Add the version to the command, e.g. **{turn.Activity.RemoveRecipientMention().Trim()} {active[0].Release.Version}**.", cancellationToken);
                return null;
        }
    }

    /// <summary>The channel's releases that are not closed.</summary>
    public Task<IReadOnlyList<ReleaseState>> ActiveAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        return store.ActiveInChannelAsync(turn.Channel, cancellationToken);
    }
}
