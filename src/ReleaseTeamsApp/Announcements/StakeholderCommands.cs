using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Announcements;

/// <summary>
/// <c>stakeholders add|remove &lt;email&gt;[, …]</c> and <c>stakeholders list</c>: who gets the announcements and the
/// retrospective invite. Addresses in the tenant are resolved through the directory; external addresses are kept for mail.
/// </summary>
internal sealed partial class StakeholderCommands(IReleaseStore store, PeopleDirectory people, ReleaseThreadPublisher publisher, Microsoft.Extensions.Options.IOptions<GraphOptions> graph, TimeProvider time) : ReleaseFlowHandler
{
    public const string Usage = "stakeholders add jane.doe@contoso.com, ops@contoso.com · stakeholders remove jane.doe@contoso.com · stakeholders list";

    /// <summary>A release's stakeholder list stays small enough for one mail and the retrospective invite.</summary>
    public const int MaxStakeholders = 100;

    public override IReadOnlyList<CommandWord> Commands => [new("stakeholders")];

    public override IReadOnlyList<CommandHelp> Help => [new(Usage, "who receives the announcements and the retrospective invite", 150)];

    /// <summary>stakeholders add|remove addresses…, stakeholders list: everything after the word is the argument.</summary>
    public override BotCommand Parse(CommandText text)
    {
        var (words, reason) = Arguments(text);
        return reason is not null ? base.Parse(text)
            : words.Length > 0 ? new BotCommand.Flow(text.Name, string.Join(' ', words).ToLowerInvariant(), null)
            : new BotCommand.Invalid($"'{text.Name}' needs what to do.", Usage);
    }

    public override Task HandleCommandAsync(TurnContext turn, BotCommand.Flow command, ReleaseState release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(release);
        var words = (command.Argument ?? "").Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var addresses = words.Length > 1 ? Separators().Split(words[1]).Where(a => a.Length > 0).ToList() : [];
        return words.ElementAtOrDefault(0) switch
        {
            "list" => ListAsync(turn, release.Release, cancellationToken),
            "add" when addresses.Count > 0 => AddAsync(turn, release.Release, addresses, cancellationToken),
            "remove" when addresses.Count > 0 => RemoveAsync(turn, release.Release, addresses, cancellationToken),
            _ => publisher.ReplyTextAsync(turn, $"Try: **{Usage}**", cancellationToken),
        };
    }

    private Task ListAsync(TurnContext turn, Release release, CancellationToken cancellationToken) =>
        publisher.ReplyTextAsync(turn, release.Stakeholders.Count == 0
            ? $"Release {release.Version} has no stakeholders yet. The Release Manager adds them with **stakeholders add jane.doe@contoso.com, ops@contoso.com**."
            : $"Stakeholders of {release.Version} ({release.Stakeholders.Count}): {string.Join(", ", release.Stakeholders)}. They get the announcements and the retrospective invite.",
            cancellationToken);

    private async Task AddAsync(TurnContext turn, Release release, IReadOnlyList<string> addresses, CancellationToken cancellationToken)
    {
        if (Refusal(release, turn.Actor) is { } refusal)
        {
            await publisher.ReplyTextAsync(turn, refusal, cancellationToken);
            return;
        }

        var invalid = addresses.Where(a => !Address().IsMatch(a)).ToList();
        if (invalid.Count > 0)
        {
            await publisher.ReplyTextAsync(turn, $"{string.Join(", ", invalid.Select(a => $"\"{a}\""))} {(invalid.Count == 1 ? "is not an email address" : "are not email addresses")}, so nobody was added. Write them like jane.doe@contoso.com.", cancellationToken);
            return;
        }

        var outside = addresses.Where(a => !graph.Value.AllowsRecipient(a)).ToList();
        if (outside.Count > 0)
        {
            await publisher.ReplyTextAsync(turn,
                $"{string.Join(", ", outside.Select(a => $"\"{a}\""))} {(outside.Count == 1 ? "is" : "are")} outside the mail domains announcements may go to ({string.Join(", ", graph.Value.RecipientDomains())}), so nobody was added: " +
                "add only addresses in those domains, or ask your admin to add the domain to Graph__AllowedRecipientDomains.", cancellationToken);
            return;
        }

        var added = new List<(string Address, string Description)>();
        foreach (var address in addresses.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            added.Add(await DescribeAsync(address, cancellationToken));
        }

        var now = time.GetUtcNow();
        var (change, _) = await store.ChangeAsync(release.Id, state =>
        {
            var current = state.Release;
            if (Refusal(current, turn.Actor) is { } refused)
            {
                return ReleaseChange.Refused(refused);
            }

            var next = current.Stakeholders.Concat(added.Select(a => a.Address)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (next.Count > MaxStakeholders)
            {
                return ReleaseChange.Refused($"A release can have at most {MaxStakeholders} stakeholders; use a distribution list for more.");
            }

            return Changed(current, next, turn.Actor, now, Added(release, added));
        }, turn.Activity.Id, cancellationToken);

        await publisher.ReplyTextAsync(turn, change.Message, cancellationToken);
    }

    private static string Added(Release release, List<(string Address, string Description)> added)
    {
        var reply = new StringBuilder($"Stakeholders of {release.Version}:");
        foreach (var (address, description) in added)
        {
            reply.Append(CultureInfo.InvariantCulture, $"\n- {address} — {description}");
        }

        reply.Append("\n\nThey get the announcements (**announce deployment**) and the retrospective invite. Say **stakeholders list** for everyone.");
        return reply.ToString();
    }

    private async Task RemoveAsync(TurnContext turn, Release release, List<string> addresses, CancellationToken cancellationToken)
    {
        if (Refusal(release, turn.Actor) is { } refusal)
        {
            await publisher.ReplyTextAsync(turn, refusal, cancellationToken);
            return;
        }

        var now = time.GetUtcNow();
        var (change, _) = await store.ChangeAsync(release.Id, state =>
        {
            var current = state.Release;
            if (Refusal(current, turn.Actor) is { } refused)
            {
                return ReleaseChange.Refused(refused);
            }

            var unknown = addresses.Where(a => !current.Stakeholders.Contains(a, StringComparer.OrdinalIgnoreCase)).ToList();
            if (unknown.Count == addresses.Count)
            {
                return ReleaseChange.Refused($"{string.Join(", ", unknown)} {(unknown.Count == 1 ? "is not a stakeholder" : "are not stakeholders")} of {current.Version}. Say **stakeholders list** to see who is.");
            }

            var removed = $"Removed {string.Join(", ", addresses)} from the stakeholders of {release.Version}. They get no further announcements.";
            return Changed(current, current.Stakeholders.Where(s => !addresses.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList(), turn.Actor, now, removed);
        }, turn.Activity.Id, cancellationToken);

        await publisher.ReplyTextAsync(turn, change.Message, cancellationToken);
    }

    /// <summary>Someone in the directory is named; an address outside it is still fine for mail.</summary>
    private async Task<(string Address, string Description)> DescribeAsync(string address, CancellationToken cancellationToken)
    {
        try
        {
            return await people.ResolveAsync(address, cancellationToken) switch
            {
                ResolvedPerson person => (person.Mail ?? address, person.DisplayName),
                _ => (address, "outside your organization: gets the mails, not a directory user"),
            };
        }
        catch (GraphRequestException ex)
        {
            return (address, $"not checked against the directory ({ex.Status?.ToString(CultureInfo.InvariantCulture) ?? "no answer"})");
        }
    }

    /// <summary>The stakeholders become <paramref name="next"/> (audited), said with <paramref name="message"/>; no change when they already are.</summary>
    private static ReleaseChange Changed(Release release, List<string> next, Person actor, DateTimeOffset now, string message)
    {
        if (next.SequenceEqual(release.Stakeholders, StringComparer.OrdinalIgnoreCase))
        {
            return ReleaseChange.Unchanged($"No change: the stakeholders of {release.Version} are {(next.Count == 0 ? "nobody" : string.Join(", ", next))}.");
        }

        var audit = new AuditEvent(release.Id, now, actor, GraphAuditActions.StakeholdersChanged, Before: string.Join(", ", release.Stakeholders), After: string.Join(", ", next));
        return ReleaseChange.To(message, release with { Stakeholders = next }, [], [audit]);
    }

    private static string? Refusal(Release release, Person actor) =>
        release.Roles.Holds(actor, ReleaseRole.ReleaseManager)
            ? null
            : $"Only the Release Manager of {release.Version} ({release.Roles.HolderNames(ReleaseRole.ReleaseManager)}) can change its stakeholders.";

    [GeneratedRegex(@"[\s,;]+", RegexOptions.CultureInvariant)]
    private static partial Regex Separators();

    [GeneratedRegex(@"^[A-Za-z0-9._%+\-']+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$", RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
