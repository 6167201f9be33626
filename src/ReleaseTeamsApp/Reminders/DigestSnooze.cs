using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// "Snooze 1 day" on a reminder digest's item: the item stays out of the digest recipient's reminders until the same local
/// time tomorrow (audited). The item's owner or the Release Manager may press it; anyone else is told who can. The answer
/// is the presser's "my items" card with what happened on top.
/// </summary>
internal sealed class DigestSnooze(IReleaseStore store, ReleaseCards cards, TimeProvider time, ILogger<DigestSnooze> logger) : BotOperation
{
    public const string Verb = "reminder.snooze";

    public override IReadOnlyCollection<string> Verbs => [Verb];

    public override async Task<AdaptiveCardInvokeResponse> HandleVerbAsync(TurnContext turn, CardActionData data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Item is not { Length: > 0 } itemId)
        {
            return AdaptiveCardInvokeResponse.BadRequest("This Snooze button names no item. Say \"my items\" to get a fresh list.");
        }

        var forId = RecipientOf(turn.Activity);
        var now = time.GetUtcNow();
        (ReleaseChange Change, ReleaseState State) answer;
        try
        {
            answer = await store.ChangeAsync(data.Release!, state => Decide(state, itemId, forId, turn.Actor, now), turn.Activity.Id, cancellationToken);
        }
        catch (ReleaseNotFoundException)
        {
            return AdaptiveCardInvokeResponse.Error(404, "NotFound", "This release no longer exists. Say \"releases\" to see the releases of this channel.");
        }

        if (answer.Change.Applied)
        {
            ReminderLog.Snoozed(logger, data.Release!, itemId, forId ?? turn.Actor.Id);
        }

        return AdaptiveCardInvokeResponse.Card(cards.MyItems(turn.Actor, [answer.State], ChangeNotices.Of(answer.Change)));
    }

    /// <summary>The snooze (writing nothing when refused or already snoozed) and the sentence the presser sees.</summary>
    internal static ReleaseChange Decide(ReleaseState state, string itemId, string? forId, Person actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(actor);
        var release = state.Release;
        if (state.Item(itemId) is not { } item)
        {
            return ReleaseChange.Refused($"That item is not on the checklist of {release.Version} any more; say \"my items\" for a fresh list.");
        }

        if (release.Status == ReleaseStatus.Closed || item.IsSettled)
        {
            return ReleaseChange.Unchanged($"\"{ReleaseCards.Shorten(item.Text, 80)}\" is {(item.IsSettled ? item.Status.Label() : "on a closed release")}: there is nothing to snooze.");
        }

        var managers = release.Roles[ReleaseRole.ReleaseManager];
        if (!release.Roles.Holds(actor, item.Owner) && !release.Roles.Holds(actor, ReleaseRole.ReleaseManager))
        {
            var owners = release.Roles[item.Owner];
            var who = owners.Count > 0 ? $"{RoleHolders.Names(owners)} ({item.Owner.DisplayName()})" : $"the {item.Owner.DisplayName()}";
            return ReleaseChange.Refused($"Only {who} or the Release Manager ({RoleHolders.Names(managers)}) can snooze this item; ask one of them, or tick it when it is done.");
        }

        var recipients = ReminderPlan.Recipients(release, item);
        if ((recipients.FirstOrDefault(p => p.Id == forId) ?? recipients.FirstOrDefault(actor.IsSame)) is not { } person)
        {
            return ReleaseChange.Refused($"\"{ReleaseCards.Shorten(item.Text, 80)}\" is not in your reminders, so there is nothing to snooze; say \"my items\" for yours.");
        }

        var whose = person.IsSame(actor) ? "your" : $"{person.Name}'s";
        if (item.Snoozes?.FirstOrDefault(s => s.PersonId == person.Id && s.Until > now) is { } snoozed)
        {
            return ReleaseChange.Unchanged($"\"{ReleaseCards.Shorten(item.Text, 80)}\" is already snoozed in {whose} reminders until {release.LocalTextWithZone(snoozed.Until)}.");
        }

        var until = SameTimeTomorrow(release, now);
        var snoozes = (item.Snoozes ?? []).Where(s => s.Until > now && s.PersonId != person.Id).Append(new ReminderSnooze(person.Id, until)).ToList();
        var audit = new AuditEvent(release.Id, now, actor, AuditActions.ItemSnoozed, item.Id, After: $"{person.Name} until {release.LocalTextWithZone(until)}");
        return ReleaseChange.To(
            $"Snoozed: \"{ReleaseCards.Shorten(item.Text, 80)}\" stays out of {whose} reminders until {release.LocalTextWithZone(until)}. The cards and the tab still show it ({ReleaseCards.DueText(release, item, now)}).",
            null,
            [item with { Snoozes = snoozes }],
            [audit]);
    }

    /// <summary>The same wall-clock time tomorrow in the release's time zone (across a daylight-saving change too).</summary>
    internal static DateTimeOffset SameTimeTomorrow(Release release, DateTimeOffset now)
    {
        var local = release.ToLocal(now);
        return Release.ToInstant(DateOnly.FromDateTime(local.DateTime).AddDays(1), TimeOnly.FromDateTime(local.DateTime), release.TimeZone);
    }

    /// <summary>The digest's recipient the button was posted for ("for" in the action's data).</summary>
    private static string? RecipientOf(Activity activity)
    {
        try
        {
            var data = activity.Type == ActivityTypes.Invoke
                ? BotJson.ConvertTo<JsonObject>(activity.GetValue<AdaptiveCardInvokeValue>()?.Action?.Data)
                : BotJson.ConvertTo<JsonObject>(activity.Value);
            return data?["for"] is JsonValue value && value.TryGetValue<string>(out var id) ? id : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
