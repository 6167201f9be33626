using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// <c>mute reminders [&lt;version&gt;]</c> and <c>unmute reminders [&lt;version&gt;]</c>: the Release Manager stops or restarts
/// a release's reminder and escalation digests (audited). The cards, follow-ups and the tab are not affected.
/// </summary>
internal sealed class ReminderMute(IReleaseStore store, ReleaseThreadPublisher publisher, TimeProvider time) : ReleaseFlowHandler
{
    public const string Usage = "mute reminders, unmute reminders (add 2.5.0 to name the release)";

    public override IReadOnlyList<CommandWord> Commands => [new("mute"), new("unmute")];

    public override IReadOnlyList<CommandHelp> Help => [new(Usage, "stop (or restart) the daily reminder and escalation messages of a release (Release Manager only)", 80)];

    /// <summary>mute reminders [2.5.0], unmute reminders [2.5.0].</summary>
    public override BotCommand Parse(CommandText text)
    {
        var (words, _) = Arguments(text);
        return words.FirstOrDefault()?.StartsWith("reminder", StringComparison.OrdinalIgnoreCase) == true
            ? new BotCommand.Flow(text.Name, "reminders", words.ElementAtOrDefault(1))
            : new BotCommand.Invalid($"Say what to {text.Name}: reminders.", Usage);
    }

    public override async Task HandleCommandAsync(TurnContext turn, BotCommand.Flow command, ReleaseState release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(release);
        var mute = command.Name.Equals("mute", StringComparison.OrdinalIgnoreCase);
        var now = time.GetUtcNow();
        var (reply, _) = await store.ChangeAsync(release.Release.Id, state =>
        {
            var current = state.Release;
            if (!current.Roles.Holds(turn.Actor, ReleaseRole.ReleaseManager))
            {
                return ReleaseChange.Refused(
                    $"Only the Release Manager of {current.Version} ({current.Roles.HolderNames(ReleaseRole.ReleaseManager)}) can {(mute ? "mute" : "unmute")} its reminders; ask them to.");
            }

            if (current.RemindersMuted == mute)
            {
                return ReleaseChange.Unchanged(mute
                    ? $"Reminders of {current.Version} are already muted. Say **unmute reminders {current.Version}** to restart them."
                    : $"Reminders of {current.Version} are not muted: owners get one digest a day while they have items due.");
            }

            var audit = new AuditEvent(current.Id, now, turn.Actor, mute ? AuditActions.RemindersMuted : AuditActions.RemindersUnmuted);
            return ReleaseChange.To(
                mute
                    ? $"Reminders of {current.Version} are muted: no reminder or escalation messages until someone says **unmute reminders {current.Version}**. The cards and the tab still show what is due."
                    : $"Reminders of {current.Version} are back on: owners hear about their due items at the next reminder run.",
                current with { RemindersMuted = mute },
                [],
                [audit]);
        }, turn.Activity.Id, cancellationToken);
        await publisher.ReplyTextAsync(turn, reply.Message, cancellationToken);
    }
}
