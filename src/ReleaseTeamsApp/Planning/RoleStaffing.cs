using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Planning;

/// <summary>
/// "Save roles" on the summary card: the people picked per role (Teams' people picker submits their Entra object ids,
/// comma-separated) become the role's holders. Ids are resolved to names through Graph, completed with their Teams id
/// from the team roster, audited per role, and the people newly given a role are mentioned in the release thread.
/// </summary>
internal sealed class RoleStaffing(
    IReleaseStore store,
    PeopleDirectory people,
    TeamRoster roster,
    ReleaseThreadPublisher publisher,
    ReleaseCards cards,
    TimeProvider time,
    ILogger<RoleStaffing> logger) : ReleaseFlowHandler
{
    public const string VerbAssign = "roles.assign";

    /// <summary>People one save may name across all roles; a release team is far smaller.</summary>
    public const int MaxPicked = 50;

    public override IReadOnlyCollection<string> Verbs => [VerbAssign];

    public override async Task<AdaptiveCardInvokeResponse> HandleVerbAsync(TurnContext turn, CardActionData data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(data);
        if (await store.GetAsync(data.Release!, cancellationToken) is not { } state)
        {
            return AdaptiveCardInvokeResponse.Error(404, "NotFound", "This release no longer exists. Say \"releases\" to see the releases of this channel.");
        }

        if (!state.Release.Roles.Holds(turn.Actor, ReleaseRole.ReleaseManager))
        {
            return Answer(state, OnlyTheReleaseManager(state.Release), NoticeStyle.Attention);
        }

        var picked = Picked(turn.Activity);
        if (picked.Count == 0)
        {
            return Answer(state, "No role changed: pick people under Assign people, then press Save roles.", NoticeStyle.Default);
        }

        if (picked.Sum(p => p.Value.Count) > MaxPicked)
        {
            return Answer(state, $"That is more than {MaxPicked} people; pick at most {MaxPicked} across the roles and save again.", NoticeStyle.Attention);
        }

        if (picked.TryGetValue(ReleaseRole.ReleaseManager, out var managers) && managers.Count == 0)
        {
            return Answer(state, "A release needs a Release Manager: keep at least one person under Release Manager and save again.", NoticeStyle.Attention);
        }

        // Resolve everyone not yet on the release before writing: an id Graph does not know changes nothing.
        var resolved = new Dictionary<string, Person>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in picked.Values.SelectMany(ids => ids).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (state.Release.Roles.Everyone.Append(turn.Actor).FirstOrDefault(p => string.Equals(p.AadObjectId, id, StringComparison.OrdinalIgnoreCase)) is { } known)
            {
                resolved[id] = known;
                continue;
            }

            switch (await people.ResolveIdAsync(id, cancellationToken))
            {
                case UnknownAddress unknown:
                    return Answer(state, $"No role changed: {unknown.Message}", NoticeStyle.Attention);
                case ResolvedPerson found:
                    var member = await roster.FindByEntraIdAsync(turn, found.Id, cancellationToken);
                    resolved[id] = new Person(
                        member?.Id is { Length: > 0 } teamsId ? teamsId : "aad:" + found.Id,
                        TextLimits.ClipName(found.DisplayName),
                        found.Id,
                        found.Mail ?? member?.Email ?? member?.UserPrincipalName);
                    break;
            }
        }

        var now = time.GetUtcNow();
        var outcome = await store.UpdateAsync(state.Release.Id, current =>
        {
            var release = current.Release;
            if (!release.Roles.Holds(turn.Actor, ReleaseRole.ReleaseManager))
            {
                return ReleaseChange.Refused(OnlyTheReleaseManager(release)).Returning(NobodyAdded);
            }

            var roles = release.Roles;
            var audit = new List<AuditEvent>();
            var added = new List<(Person Person, ReleaseRole Role)>();
            foreach (var (role, ids) in picked.OrderBy(p => p.Key))
            {
                // People the picker cannot show (no Entra id) stay; everyone else is exactly who was picked.
                var before = roles[role];
                var after = before.Where(p => p.AadObjectId is not { Length: > 0 }).Concat(ids.Select(id => resolved[id])).DistinctBy(p => p.Id).ToList();
                if (after.Count == before.Count && after.All(p => before.Any(p.IsSame)))
                {
                    continue;
                }

                added.AddRange(after.Where(p => !before.Any(p.IsSame)).Select(p => (p, role)));
                roles = roles.Assign(role, [.. after]);
                audit.Add(new AuditEvent(release.Id, now, turn.Actor, AuditActions.RoleAssigned, Before: string.Join(", ", before.Select(p => p.Name)), After: $"{role.DisplayName()}: {string.Join(", ", after.Select(p => p.Name))}"));
            }

            if (audit.Count == 0)
            {
                return ReleaseChange.Unchanged("No role changed: everyone picked already holds that role.").Returning(NobodyAdded);
            }

            var names = string.Join("; ", added.GroupBy(a => a.Role).Select(g => $"{g.Key.DisplayName()}: {string.Join(", ", g.Select(a => a.Person.Name))}"));
            return ReleaseChange.To(names.Length > 0 ? $"Roles saved. New: {names}." : "Roles saved.", release with { Roles = roles }, [], audit)
                .Returning<IReadOnlyList<(Person Person, ReleaseRole Role)>>(added);
        }, turn.Activity.Id, cancellationToken);

        var fresh = await store.GetAsync(state.Release.Id, cancellationToken) ?? state;
        if (!outcome.Change.Applied)
        {
            return Answer(fresh, outcome.Change.Message, NoticeStyle.Default);
        }

        PlanningLog.Staffed(logger, fresh.Release.Id, outcome.Result.Count);
        await publisher.RefreshAsync(fresh, ReleaseCards.PhasesOf(fresh).Select(p => p.Id), cancellationToken);
        if (outcome.Result.Count > 0)
        {
            await publisher.PostInThreadAsync(turn, fresh.Release, Told(fresh, outcome.Result), cancellationToken);
        }

        return Answer(fresh, outcome.Change.Message, NoticeStyle.Good);
    }

    public static string OnlyTheReleaseManager(Release release) =>
        $"Only the Release Manager of {release.Version} ({release.Roles.HolderNames(ReleaseRole.ReleaseManager)}) can assign roles. Ask them to add you.";

    /// <summary>One message in the thread: each person newly given a role, mentioned, with how many items are now theirs.</summary>
    private static Activity Told(ReleaseState state, IReadOnlyList<(Person Person, ReleaseRole Role)> added)
    {
        var message = Activity.CreateMessage(null, TextFormatTypes.Markdown);
        var lines = added.Select(a =>
        {
            // Teams mentions a person by Teams user id, or by Entra object id for someone the bot has not seen yet.
            var at = message.AddMentionEntity(new ChannelAccount(a.Person.HasTeamsId ? a.Person.Id : a.Person.AadObjectId!, a.Person.Name));
            return $"{at} is now {a.Role.DisplayName()} on release {state.Release.Version}: {state.Items.Count(i => i.Owner == a.Role)} checklist items are yours.";
        });
        message.Text = string.Join("\n\n", lines) + "\n\nYour items are highlighted on the cards.";
        return message;
    }

    private AdaptiveCardInvokeResponse Answer(ReleaseState state, string notice, NoticeStyle style) =>
        AdaptiveCardInvokeResponse.Card(cards.Summary(state, new CardNotice(notice, style)));

    /// <summary>The roles in the action's data (role-ReleaseManager: "id1,id2"), each with the picked ids; absent roles are left as they are.</summary>
    private static Dictionary<ReleaseRole, IReadOnlyList<string>> Picked(Activity activity)
    {
        JsonObject? data;
        try
        {
            data = activity.Type == ActivityTypes.Invoke
                ? BotJson.ConvertTo<JsonObject>(activity.GetValue<AdaptiveCardInvokeValue>()?.Action?.Data)
                : BotJson.ConvertTo<JsonObject>(activity.Value);
        }
        catch (JsonException)
        {
            data = null;
        }

        var picked = new Dictionary<ReleaseRole, IReadOnlyList<string>>();
        foreach (var role in ReleaseRoles.All)
        {
            if (data?[ReleaseCards.PickerId(role)] is JsonValue value && value.TryGetValue<string>(out var ids))
            {
                picked[role] = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            }
        }

        return picked;
    }

    private static readonly IReadOnlyList<(Person Person, ReleaseRole Role)> NobodyAdded = [];
}
