using System.Text.Json;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Announcements;

/// <summary>
/// <c>announce deployment|release|rollback</c>: a preview card in the release thread; its Send button queues the mail to the
/// stakeholders through the outbox (once per release and kind), posts the announcement in the thread and audits it.
/// </summary>
internal sealed class AnnouncementCommands(
    IReleaseStore store,
    GraphOutbox outbox,
    StakeholderAnnouncements announcements,
    ReleaseThreadPublisher publisher,
    IOptions<GraphOptions> options,
    TimeProvider time) : ReleaseFlowHandler
{
    public const string Usage = "announce deployment, announce release or announce rollback (add 2.5.0 to name the release)";

    public override IReadOnlyList<CommandWord> Commands => [new("announce")];

    public override IReadOnlyList<CommandHelp> Help => [new(Usage, "preview and send a stakeholder announcement", 120)];

    /// <summary>announce deployment|release|rollback [2.5.0].</summary>
    public override BotCommand Parse(CommandText text)
    {
        var (words, reason) = Arguments(text);
        return reason is not null ? base.Parse(text)
            : words.Length > 0 ? new BotCommand.Flow(text.Name, words[0].ToLowerInvariant(), words.ElementAtOrDefault(1))
            : new BotCommand.Invalid($"'{text.Name}' needs what to do.", Usage);
    }

    public override IReadOnlyCollection<string> Verbs => [GraphCards.VerbAnnounceSend, GraphCards.VerbAnnounceCancel];

    public override async Task HandleCommandAsync(TurnContext turn, BotCommand.Flow command, ReleaseState release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(release);
        if (!TryKind(command.Argument, out var kind))
        {
            await publisher.ReplyTextAsync(turn, $"\"{command.Argument}\" is not an announcement. Try: **{Usage}**", cancellationToken);
            return;
        }

        var current = release.Release;
        if (!turn.IsChannel)
        {
            await publisher.ReplyTextAsync(turn, OnlyFromChannels, cancellationToken);
            return;
        }

        if (Refusal(current, turn.Actor) is { } refusal)
        {
            await publisher.ReplyTextAsync(turn, refusal, cancellationToken);
            return;
        }

        var preview = announcements.Addressed(release, kind, turn.Actor);
        if (preview.Recipients.Count == 0)
        {
            await publisher.ReplyTextAsync(turn, announcements.NoStakeholders(current, preview), cancellationToken);
            return;
        }

        if (await outbox.GetAsync(current.Id, AnnouncementKeys.Outbox(current.Id, kind), cancellationToken) is not null)
        {
            await publisher.ReplyTextAsync(turn, $"The {GraphCards.Name(kind)} announcement of {current.Version} was already sent or queued; it is not sent twice. Say **outbox {current.Version}** to see it.", cancellationToken);
            return;
        }

        var card = GraphCards.AnnouncementPreview(current, kind, preview, LeftOut(preview));
        await publisher.PostInThreadAsync(turn, current, Activity.CreateCardMessage(card, $"Preview: {GraphCards.Name(kind)} announcement of {current.Version}"), cancellationToken);
    }

    public override async Task<AdaptiveCardInvokeResponse> HandleVerbAsync(TurnContext turn, CardActionData data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(data);
        if (!TryKind(KindOf(turn), out var kind))
        {
            return AdaptiveCardInvokeResponse.BadRequest($"This announcement card does not say which announcement it is. Say **{Usage}** for a fresh one.");
        }

        if (data.Verb == GraphCards.VerbAnnounceCancel)
        {
            return AdaptiveCardInvokeResponse.Card(ReleaseCards.Notice(
                "Announcement cancelled", $"Nothing was sent. Say **announce {GraphCards.Name(kind)}** to start again.", NoticeStyle.Default));
        }

        if (!turn.IsChannel)
        {
            return AdaptiveCardInvokeResponse.Error(403, "NotInAChannel", OnlyFromChannels);
        }

        if (await store.GetAsync(data.Release!, cancellationToken) is not { } state)
        {
            return AdaptiveCardInvokeResponse.Error(404, "NotFound", "This release no longer exists.");
        }

        var release = state.Release;
        var preview = announcements.Addressed(state, kind, turn.Actor);
        if (Refusal(release, turn.Actor) is { } refusal)
        {
            return AdaptiveCardInvokeResponse.Card(GraphCards.AnnouncementPreview(release, kind, preview, new CardNotice(refusal)));
        }

        var result = await announcements.EnqueueAsync(state, kind, turn.Actor, turn.IsChannel, cancellationToken);
        if (result.Outcome is AnnouncementOutcome.NoStakeholders or AnnouncementOutcome.DailyLimitReached or AnnouncementOutcome.NotFromTeamChannel)
        {
            return AdaptiveCardInvokeResponse.Card(GraphCards.AnnouncementPreview(release, kind, preview, new CardNotice(result.Message)));
        }

        var key = AnnouncementKeys.Outbox(release.Id, kind);
        // Keyed like the outbox entry: one audit row per announcement, even when a first Send stopped before writing it.
        var audit = new AuditEvent(release.Id, time.GetUtcNow(), turn.Actor, GraphAuditActions.AnnouncementSent,
            Before: null, After: $"{GraphCards.Name(kind)} to {string.Join(", ", result.Preview.Recipients)}", Note: result.Preview.Subject);
        await store.ChangeAsync(release.Id, _ => ReleaseChange.Record(audit: [audit]), key, cancellationToken);

        if (result.Outcome == AnnouncementOutcome.AlreadyEnqueued)
        {
            return AdaptiveCardInvokeResponse.Card(ReleaseCards.Notice("Already sent", result.Message, NoticeStyle.Warning));
        }

        var sent = GraphCards.AnnouncementSent(release, kind, result.Preview, turn.Actor, options.Value.Mode == GraphMode.Recording);
        await publisher.PostInThreadAsync(turn, release, Activity.CreateCardMessage(sent, result.Preview.Subject), cancellationToken);
        return AdaptiveCardInvokeResponse.Card(sent);
    }

    internal const string OnlyFromChannels = StakeholderAnnouncements.OnlyFromTeamChannels;

    private CardNotice? LeftOut(AnnouncementPreview preview) =>
        options.Value.LeftOutNotice(preview.LeftOut, "announcement") is { } text ? new CardNotice(text, NoticeStyle.Warning) : null;

    private static string? Refusal(Release release, Person actor) =>
        release.Roles.Holds(actor, ReleaseRole.ReleaseManager) || release.Roles.Holds(actor, ReleaseRole.ProductManager)
            ? null
            : $"Only the Release Manager or the Product Manager of {release.Version} can send stakeholder announcements.";

    private static bool TryKind(string? text, out AnnouncementKind kind) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _);

    /// <summary>The kind travels in the button's data next to the release (Action.Execute: value.action.data; Action.Submit: value).</summary>
    private static string? KindOf(TurnContext turn)
    {
        try
        {
            return turn.Activity.Type == ActivityTypes.Invoke
                ? turn.Activity.GetValue<AdaptiveCardInvokeValue>()?.Action?.GetData<AnnouncementActionData>()?.Kind
                : turn.Activity.GetValue<AnnouncementActionData>()?.Kind;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record AnnouncementActionData(string? Kind);
}
