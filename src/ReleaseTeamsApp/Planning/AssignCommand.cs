using System.Text.RegularExpressions;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Planning;

/// <summary>Give <paramref name="Role"/> to a mentioned person or an email address, on the named release (or the one the channel means).</summary>
internal sealed record Assign(ReleaseRole Role, Person? Person, string? Email, string? Version) : BotCommand;

/// <summary>
/// <c>assign qa @person</c> / <c>assign qa user@contoso.com [for 2.5.0]</c>: the Release Manager gives someone a role
/// (audited); the cards are refreshed and the person is mentioned in the release thread with how many items are theirs.
/// </summary>
internal sealed partial class AssignCommand(
    IReleaseStore store,
    ReleaseResolution releases,
    PeopleDirectory people,
    TeamRoster roster,
    ReleaseThreadPublisher publisher,
    TimeProvider time) : BotOperation
{
    public const string Usage = "assign qa @person (or assign qa user@contoso.com), optionally for 2.5.0";

    public override IReadOnlyList<CommandWord> Commands => [new("assign")];

    public override IReadOnlyList<CommandHelp> Help => [new(Usage, "give someone a role (Release Manager only)", 60)];

    /// <summary>The role, then an @mention (its &lt;at&gt; markup) or an email address, optionally "for" a version.</summary>
    public override BotCommand Parse(CommandText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var marked = text.Marked;
        string? version = null;
        if (ForVersionPattern().Match(marked) is { Success: true } f)
        {
            version = f.Groups["version"].Value;
            marked = marked[..f.Index];
        }

        var at = marked.IndexOf("<at>", StringComparison.OrdinalIgnoreCase);
        var email = EmailPattern().Match(marked);
        var roleText = at >= 0 ? marked[..at] : email.Success ? marked[..email.Index] : marked;
        if (!ReleaseRoles.TryParse(roleText.Trim(), out var role))
        {
            return new BotCommand.Invalid(
                string.IsNullOrWhiteSpace(roleText) ? "Say which role to assign." : $"\"{BotCommandParser.Echo(roleText.Trim())}\" is not a role. Roles: {ReleaseRoles.Accepted}.",
                Usage);
        }

        if (at >= 0 && text.Mentions.Count > 0)
        {
            return new Assign(role, text.Mentions[0], null, version);
        }

        return email.Success
            ? new Assign(role, null, email.Value, version)
            : new BotCommand.Invalid($"Say who gets the {role.DisplayName()} role: @mention them or write their email address.", Usage);
    }

    public override async Task HandleCommandAsync(TurnContext turn, BotCommand command, CancellationToken cancellationToken)
    {
        if (command is Assign assign && await releases.ResolveAsync(turn, assign.Version, cancellationToken) is { } target)
        {
            await AssignAsync(turn, assign, target, cancellationToken);
        }
    }

    private async Task AssignAsync(TurnContext turn, Assign command, ReleaseState target, CancellationToken cancellationToken)
    {
        var person = command.Person is { } mentioned ? await roster.CompleteAsync(turn, mentioned, cancellationToken) : null;
        if (person is null)
        {
            switch (await people.ResolveAsync(command.Email ?? "", cancellationToken))
            {
                case UnknownAddress unknown:
                    await publisher.ReplyTextAsync(turn, $"I can't assign {command.Role.DisplayName()} to {unknown.Address}: {unknown.Message}", cancellationToken);
                    return;
                case ResolvedPerson found:
                    // Teams user ids (29:…) are only learned from an activity; until then the Entra id stands in, prefixed so it never collides with one.
                    var known = target.Release.Roles.Everyone.Append(turn.Actor).FirstOrDefault(p => string.Equals(p.AadObjectId, found.Id, StringComparison.OrdinalIgnoreCase));
                    person = new Person(known?.Id ?? "aad:" + found.Id, found.DisplayName, found.Id, found.Mail ?? command.Email);
                    break;
                default:
                    return;
            }
        }

        var now = time.GetUtcNow();
        var (result, _) = await store.ChangeAsync(target.Release.Id, state =>
        {
            var release = state.Release;
            if (!release.Roles.Holds(turn.Actor, ReleaseRole.ReleaseManager))
            {
                return ReleaseChange.Refused(RoleStaffing.OnlyTheReleaseManager(release));
            }

            if (release.Roles.Holds(person, command.Role))
            {
                return ReleaseChange.Unchanged($"{person.Name} already holds {command.Role.DisplayName()} on {release.Version}; nothing changed.");
            }

            var before = string.Join(", ", release.Roles[command.Role].Select(p => p.Name));
            var updated = release with { Roles = release.Roles.Add(command.Role, person) };
            var audit = new AuditEvent(release.Id, now, turn.Actor, AuditActions.RoleAssigned, Before: before, After: $"{command.Role.DisplayName()}: {string.Join(", ", updated.Roles[command.Role].Select(p => p.Name))}");
            return ReleaseChange.To("", updated, [], [audit]);
        }, turn.Activity.Id, cancellationToken);

        if (!result.Applied)
        {
            await publisher.ReplyTextAsync(turn, result.Message, cancellationToken);
            return;
        }

        var fresh = await store.GetAsync(target.Release.Id, cancellationToken);
        if (fresh is not null)
        {
            await publisher.RefreshAsync(fresh, ReleaseCards.PhasesOf(fresh).Select(p => p.Id), cancellationToken);
            var owned = fresh.Items.Count(i => i.Owner == command.Role);
            var reply = Activity.CreateMessage(null, TextFormatTypes.Markdown);
            var at = reply.AddMentionEntity(new ChannelAccount(person.Id, person.Name));
            reply.Text = $"{at} is now {command.Role.DisplayName()} on release {fresh.Release.Version}: {owned} checklist items are yours. Your items are highlighted on the cards.";
            await publisher.PostInThreadAsync(turn, fresh.Release, reply, cancellationToken);
        }
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-']+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\s+for\s+(?<version>\S+)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForVersionPattern();
}
