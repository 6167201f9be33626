using System.Globalization;
using System.Text;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Checklist;

/// <summary><c>releases</c>: the releases of this channel with their date, status and how many items are settled.</summary>
internal sealed class ReleasesCommand(IReleaseStore store, ReleaseThreadPublisher publisher) : BotOperation
{
    public override IReadOnlyList<CommandWord> Commands => [new("releases")];

    public override IReadOnlyList<CommandHelp> Help => [new("releases", "the releases of this channel", 20)];

    public override BotCommand Parse(CommandText text) => new BotCommand.Plain();

    public override async Task HandleCommandAsync(TurnContext turn, BotCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var summaries = (await store.ListAsync(turn.Channel.TenantId, turn.Channel.TeamId, cancellationToken)).Where(s => s.ChannelId == turn.Channel.ChannelId).ToList();
        if (summaries.Count == 0)
        {
            await publisher.ReplyTextAsync(turn, $"No releases in this channel yet. Start one with: **{BotCommandParser.NewReleaseUsage}**", cancellationToken);
            return;
        }

        var text = new StringBuilder("Releases in this channel:\n\n");
        foreach (var summary in summaries)
        {
            if (await store.GetAsync(summary.ReleaseId, cancellationToken) is { } state)
            {
                var settled = state.Items.Count(i => i.IsSettled);
                text.Append(CultureInfo.InvariantCulture, $"- **{state.Release.Version}** · {state.Release.ReleaseDate:yyyy-MM-dd} · {state.Release.Status} · {settled}/{state.Items.Count} items settled\n");
            }
        }

        await publisher.ReplyTextAsync(turn, text.ToString(), cancellationToken);
    }
}
