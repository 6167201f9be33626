using System.Globalization;
using System.Text;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Signals;

/// <summary>
/// <c>link github owner/repo [team]</c>, <c>link azure-devops org/project [team]</c>, <c>unlink …</c>, <c>links</c> and
/// <c>watch &lt;resource id&gt;</c>: what a release follows outside Teams, so its signalled items tick themselves.
/// </summary>
internal sealed class SignalCommands(SignalLinks links, IReleaseStore store, ReleaseThreadPublisher publisher, AzureDevOpsApi azureDevOps, TimeProvider time) : ReleaseFlowHandler
{
    public const string LinkedAction = "release.linked";
    public const string UnlinkedAction = "release.unlinked";

    public const string LinkUsage = "link github contoso/web-app or link azure-devops contoso/platform, optionally followed by team (every release of the team) or 2.5.0";

    public const string WatchUsage = "watch /subscriptions/…/resourceGroups/…/providers/… (the resource id; add 2.5.0 to name the release)";

    public override IReadOnlyList<CommandWord> Commands => [new("link"), new("unlink"), new("links"), new("watch")];

    public override IReadOnlyList<CommandHelp> Help =>
    [
        new(LinkUsage, "link the release (or with team, every release of the team) so its items tick themselves from GitHub or Azure DevOps", 170),
        new("links, or links 2.5.0", "what the release is linked to and which items tick themselves", 180),
        new(WatchUsage, "watch a resource's Azure Monitor alerts for the release's quiet windows", 190),
    ];

    /// <summary>link|unlink github owner/repo [team] [2.5.0], link|unlink azure-devops org/project …, watch resource-id [2.5.0], links [2.5.0].</summary>
    public override BotCommand Parse(CommandText text)
    {
        var (words, _) = Arguments(text);
        return text.Name switch
        {
            "link" or "unlink" => ParseLink(text.Name, words),
            "watch" when words.Length > 0 => new BotCommand.Flow(text.Name, words[0], words.ElementAtOrDefault(1)),
            "watch" => new BotCommand.Invalid("Say which Azure resource to watch: its resource id, /subscriptions/…/resourceGroups/….", WatchUsage),
            _ => base.Parse(text),
        };
    }

    /// <summary>link github owner/repo [team] [version]: the argument is "kind target" (+ " team" for the team default).</summary>
    private static BotCommand ParseLink(string name, string[] rest)
    {
        if (rest.Length < 2 || rest[0].ToLowerInvariant() is not ("github" or "azure-devops" or "ado"))
        {
            return new BotCommand.Invalid($"Say what to {name}: github and the repository (e.g. contoso/web-app), or azure-devops and the project (e.g. contoso/platform).", LinkUsage);
        }

        var kind = rest[0].Equals("ado", StringComparison.OrdinalIgnoreCase) ? "azure-devops" : rest[0].ToLowerInvariant();
        var team = rest.Skip(2).Any(w => w.Equals("team", StringComparison.OrdinalIgnoreCase));
        var version = rest.Skip(2).FirstOrDefault(w => !w.Equals("team", StringComparison.OrdinalIgnoreCase));
        return new BotCommand.Flow(name, $"{kind} {rest[1]}{(team ? " team" : "")}", version);
    }

    public override async Task HandleCommandAsync(TurnContext turn, BotCommand.Flow command, ReleaseState release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(release);
        switch (command.Name)
        {
            case "links":
                await publisher.ReplyTextAsync(turn, await ListTextAsync(release, cancellationToken), cancellationToken);
                return;
            case "watch":
                await ChangeAsync(turn, release, LinkKind.AzureResource, command.Argument!, team: false, unlink: false, cancellationToken);
                return;
        }

        var parts = command.Argument!.Split(' ');
        var kind = parts[0] == "github" ? LinkKind.GitHub : LinkKind.AzureDevOps;
        await ChangeAsync(turn, release, kind, parts[1], team: parts.Length > 2, unlink: command.Name == "unlink", cancellationToken);
    }

    /// <summary>
    /// <c>link … team</c> / <c>unlink … team</c> where no release of this channel is meant (none, or several and none named):
    /// the team default is set on its own. A Release Manager of one of the team's open releases sets it; a team without
    /// open releases lets whoever sets it up.
    /// </summary>
    public override async Task<bool> HandleWithoutReleaseAsync(TurnContext turn, BotCommand.Flow command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Name is not ("link" or "unlink") || command.Version is not null || command.Argument?.Split(' ') is not [var kindName, var target, "team"])
        {
            return false;
        }

        var open = new List<ReleaseState>();
        foreach (var summary in await store.ListAsync(turn.Channel.TenantId, turn.Channel.TeamId, cancellationToken))
        {
            if (await store.GetAsync(summary.ReleaseId, cancellationToken) is { Release.Status: not ReleaseStatus.Closed } state)
            {
                open.Add(state);
            }
        }

        var here = open.Where(s => s.Release.Channel.ChannelId == turn.Channel.ChannelId).ToList();
        if (here.Count == 1 || here.Any(s => s.Release.Thread?.ConversationId == turn.ConversationId))
        {
            // A release is meant: it is audited there, and its Release Manager decides.
            return false;
        }

        if (open.Count > 0 && !open.Any(s => s.Release.Roles.Holds(turn.Actor, ReleaseRole.ReleaseManager)))
        {
            await publisher.ReplyTextAsync(turn, $"Team links are set by a Release Manager of one of this team's open releases ({string.Join(", ", open.Select(s => s.Release.Version).Take(5))}). Ask one of them to link the team, or link a single release by adding its version, e.g. link github contoso/web-app 1.5.0.", cancellationToken);
            return true;
        }

        var kind = kindName == "github" ? LinkKind.GitHub : LinkKind.AzureDevOps;
        if (Problem(kind, target) is { } problem)
        {
            await publisher.ReplyTextAsync(turn, problem, cancellationToken);
            return true;
        }

        var what = $"{Name(kind)} {target}";
        var whose = $"every release of this team without its own {Name(kind)} link";
        if (command.Name == "unlink")
        {
            var removed = await links.UnlinkAsync(kind, target, turn.Channel.TenantId, turn.Channel.TeamId, null, cancellationToken);
            await publisher.ReplyTextAsync(turn, removed ? $"{what} is no longer linked to {whose}." : $"This team has no default link to {what}. Say **links** to see what is linked.", cancellationToken);
            return true;
        }

        await links.LinkAsync(new SignalLink(kind, target, turn.Channel.TenantId, turn.Channel.TeamId, null, turn.Actor.Name, time.GetUtcNow()), cancellationToken);
        await publisher.ReplyTextAsync(turn, $"Linked {whose} to {what}: items of their checklists that declare a signal from there tick themselves.{(kind == LinkKind.GitHub ? "\n\nThe GitHub App must be installed on the repository and send its webhooks to /api/hooks/github." : "")}", cancellationToken);
        return true;
    }

    private static string? Problem(LinkKind kind, string target) => kind switch
    {
        LinkKind.GitHub when !SignalLinks.IsRepository(target) => $"\"{ReleaseCardsText(target)}\" is not a GitHub repository: write it as owner/repo, e.g. octoacme/webshop.",
        LinkKind.AzureDevOps when !SignalLinks.IsProject(target) => $"\"{ReleaseCardsText(target)}\" is not an Azure DevOps project: write it as organization/project, e.g. octoacme/Webshop.",
        LinkKind.AzureResource when !AzureResourceIds.IsValid(target) => $"\"{ReleaseCardsText(target)}\" is not an Azure resource id: copy it from the resource's JSON view, it starts with /subscriptions/ and names its resource group and provider.",
        _ => null,
    };

    private async Task ChangeAsync(TurnContext turn, ReleaseState state, LinkKind kind, string target, bool team, bool unlink, CancellationToken cancellationToken)
    {
        var release = state.Release;
        if (!release.Roles.Holds(turn.Actor, ReleaseRole.ReleaseManager))
        {
            await publisher.ReplyTextAsync(turn, $"Only the Release Manager of {release.Version} ({ReleaseDay.ReleaseDaySteps.Managers(release)}) links it to GitHub, Azure DevOps or Azure resources. Ask them to link it.", cancellationToken);
            return;
        }

        if (Problem(kind, target) is { } problem)
        {
            await publisher.ReplyTextAsync(turn, problem, cancellationToken);
            return;
        }

        var now = time.GetUtcNow();
        var releaseId = team ? null : release.Id;
        var what = $"{Name(kind)} {target}";
        var whose = team ? $"every release of this team without its own {Name(kind)} link" : $"release {release.Version}";
        if (unlink)
        {
            var removed = await links.UnlinkAsync(kind, target, release.Channel.TenantId, release.Channel.TeamId, releaseId, cancellationToken);
            if (!removed)
            {
                await publisher.ReplyTextAsync(turn, $"{whose} was not linked to {what}. Say **links** to see its links.", cancellationToken);
                return;
            }
        }
        else
        {
            await links.LinkAsync(new SignalLink(kind, target, release.Channel.TenantId, release.Channel.TeamId, releaseId, turn.Actor.Name, now), cancellationToken);
        }

        var audit = new AuditEvent(release.Id, now, turn.Actor, unlink ? UnlinkedAction : LinkedAction, After: $"{(team ? "team default: " : "")}{what}");
        await store.ChangeAsync(release.Id, _ => ReleaseChange.Record(audit: [audit]), turn.Activity.Id, cancellationToken);

        var signalled = state.Items.Where(i => i.Signal is { } s && Follows(kind, s)).ToList();
        var text = new StringBuilder(unlink ? $"{what} is no longer linked to {whose}." : $"Linked {whose} to {what}.");
        if (!unlink)
        {
            text.Append(signalled.Count == 0
                ? " No item of its checklist declares a signal from there, so nothing ticks itself yet."
                : string.Create(CultureInfo.InvariantCulture, $" {signalled.Count} item(s) now tick themselves:"));
            foreach (var item in signalled)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n- {item.Text} — {item.Signal!.Describe(release.Version)}");
            }

            if (kind == LinkKind.GitHub)
            {
                text.Append("\n\nThe GitHub App must be installed on the repository and send its webhooks to /api/hooks/github.");
            }
            else if (kind == LinkKind.AzureDevOps && signalled.Count > 0 && !azureDevOps.CanReadRuns)
            {
                text.Append("\n\nAzure DevOps notifications do not say which branch a run is on or which pull requests are still open, and this app has no AzureDevOps__Token to read it: these items tick only once an administrator sets it.");
            }
        }

        await publisher.ReplyTextAsync(turn, text.ToString(), cancellationToken);
    }

    private async Task<string> ListTextAsync(ReleaseState state, CancellationToken cancellationToken)
    {
        var release = state.Release;
        var (own, team) = await links.ListAsync(release, cancellationToken);
        var text = new StringBuilder($"**Links of {release.Version}**\n");
        if (own.Count == 0 && team.Count == 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nNothing linked: every item is ticked by hand. Link a repository with, e.g., **link github contoso/web-app**.");
        }

        foreach (var link in own)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n- {Name(link.Kind)} **{link.Target}** (linked by {link.LinkedBy})");
        }

        foreach (var link in team.Where(t => own.All(o => o.Kind != t.Kind)))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n- {Name(link.Kind)} **{link.Target}** (team default, linked by {link.LinkedBy})");
        }

        var signalled = state.Items.Where(i => i.Signal is not null).ToList();
        if (signalled.Count > 0)
        {
            var followed = own.Concat(team).Select(l => l.Kind).ToHashSet();
            text.Append("\n\nItems that tick themselves:");
            foreach (var item in signalled)
            {
                var waiting = followed.Any(k => Follows(k, item.Signal!)) ? item.Status.Label() : "not linked";
                text.Append(CultureInfo.InvariantCulture, $"\n- {item.Text} — {item.Signal!.Describe(release.Version)} · {waiting}");
            }
        }

        return text.ToString();
    }

    public static bool Follows(LinkKind kind, ItemSignal signal) => kind switch
    {
        LinkKind.GitHub => signal.IsGitHub,
        LinkKind.AzureDevOps => signal.Type is SignalTypes.AzureDevOpsPipeline or SignalTypes.AzureDevOpsPulls,
        _ => signal.Type == SignalTypes.MonitorQuiet,
    };

    private static string Name(LinkKind kind) => kind switch
    {
        LinkKind.GitHub => "GitHub",
        LinkKind.AzureDevOps => "Azure DevOps",
        _ => "Azure resource",
    };

    private static string ReleaseCardsText(string text) => Checklist.ReleaseCards.Shorten(text, 80);
}
