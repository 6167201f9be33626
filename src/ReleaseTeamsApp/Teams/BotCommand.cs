using System.Globalization;
using System.Text.RegularExpressions;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Teams;

/// <summary>What a person asked the bot in the channel, parsed from the message text and its mention entities.</summary>
public abstract record BotCommand
{
    public sealed record Help : BotCommand;

    /// <param name="TemplateId">The team's checklist template to use; null for the latest version of the built-in one.</param>
    public sealed record NewRelease(string Version, DateOnly Date, DeploymentWindow? Window, string? TimeZoneId, string? Scope, string? TemplateId = null) : BotCommand;

    public sealed record ListTemplates : BotCommand;

    public sealed record ListReleases : BotCommand;

    public sealed record Status(string? Version) : BotCommand;

    public sealed record MyItems : BotCommand;

    public sealed record Assign(ReleaseRole Role, Person? Person, string? Email, string? Version) : BotCommand;

    public sealed record MoveRelease(string Version, DateOnly Date) : BotCommand;

    /// <summary>A command other parts of the release flow handle (go/no-go, deploy, rollback, close, metrics, outbox, announce).</summary>
    /// <param name="Reason">The text after --override, --force or --reason (an audited override or a rollback reason).</param>
    public sealed record Flow(string Name, string? Argument, string? Version, string? Reason = null) : BotCommand;

    /// <summary>The text could not be understood: what was wrong and the correct form.</summary>
    public sealed record Invalid(string Problem, string Usage) : BotCommand;
}

public static partial class BotCommandParser
{
    /// <summary>How much of what a person typed is quoted back in an error reply.</summary>
    private const int EchoLength = 60;

    // Usage is written as examples: Teams reads <word> in a message as markup and drops it.
    public const string NewReleaseUsage = "new release 2.5.0 on 2026-12-24 window 10:00-12:00 tz Europe/Berlin template web-app scope what ships (all after the date is optional)";
    public const string AssignUsage = "assign qa @person (or assign qa user@contoso.com), optionally for 2.5.0";
    public const string MoveUsage = "move release 2.5.0 to 2026-12-31";
    public const string MuteUsage = "mute reminders, unmute reminders (add 2.5.0 to name the release)";

    public static readonly IReadOnlyList<(string Command, string Meaning)> Commands =
    [
        ("help", "what I can do"),
        (NewReleaseUsage, "create a release from the checklist template and post it as a new thread"),
        ("releases", "the releases of this channel"),
        ("templates", "the checklist templates this team can start a release from"),
        ("status, or status 2.5.0", "the release's summary card"),
        ("my items", "your open items, soonest due first"),
        (AssignUsage, "give someone a role (Release Manager only)"),
        (MoveUsage, "move the release date; due times follow and owners are told"),
        (MuteUsage, "stop (or restart) the daily reminder and escalation messages of a release (Release Manager only)"),
        ("go/no-go, or go/no-go 2.5.0", "readiness, sign-offs and the go / no-go decision"),
        ("deploy start, deploy done (add 2.5.0 to name the release)", "record the deployment start or finish"),
        ("rollback, or rollback 2.5.0", "raise a rollback: incident notice, decision, rollback checklist"),
        ("announce deployment, announce release or announce rollback (add 2.5.0 to name the release)", "preview and send a stakeholder announcement"),
        ("metrics, or metrics 2.5.0", "deployment metrics for a release and the team"),
        ("outbox, or outbox 2.5.0", "mail and meeting requests waiting, sent or failed"),
        ("stakeholders add jane.doe@contoso.com, ops@contoso.com · stakeholders remove jane.doe@contoso.com · stakeholders list", "who receives the announcements and the retrospective invite"),
        ("close, or close 2.5.0", "close the release and post its report"),
        (LinkUsage, "link the release (or with team, every release of the team) so its items tick themselves from GitHub or Azure DevOps"),
        ("links, or links 2.5.0", "what the release is linked to and which items tick themselves"),
        (WatchUsage, "watch a resource's Azure Monitor alerts for the release's quiet windows"),
    ];

    public const string LinkUsage = "link github contoso/web-app or link azure-devops contoso/platform, optionally followed by team (every release of the team) or 2.5.0";

    public const string WatchUsage = "watch /subscriptions/…/resourceGroups/…/providers/… (the resource id; add 2.5.0 to name the release)";

    private static readonly string[] FlowCommands = ["go/no-go", "gonogo", "go-no-go", "no-go", "go", "deploy", "rollback", "close", "metrics", "outbox", "announce", "stakeholders", "link", "unlink", "links", "watch", "mute", "unmute"];

    [GeneratedRegex(@"^(?<version>\S+)\s+on\s+(?<date>\S+)(?<rest>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NewReleasePattern();

    [GeneratedRegex(@"\bwindow\s+(?<from>\d{1,2}:\d{2})\s*[-–]\s*(?<to>\d{1,2}:\d{2})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WindowPattern();

    [GeneratedRegex(@"\btz\s+(?<tz>[A-Za-z_]+(?:/[A-Za-z0-9_+\-]+)*|UTC)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ZonePattern();

    [GeneratedRegex(@"\bscope\s+(?<scope>.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ScopePattern();

    [GeneratedRegex(@"\btemplate\s+(?<id>\S+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TemplatePattern();

    [GeneratedRegex(VersionRegex, RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-']+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?:^|\s)--(?:override|force|reason)(?:\s+(?<reason>.*))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReasonPattern();

    [GeneratedRegex(@"\s+for\s+(?<version>\S+)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForVersionPattern();

    /// <param name="text">The message text with the bot's own mention removed and other mentions kept as &lt;at&gt;Name&lt;/at&gt;.</param>
    /// <param name="mentions">The people mentioned in the message (from its mention entities), in order.</param>
    public static BotCommand Parse(string? text, IReadOnlyList<Person> mentions)
    {
        var line = Regex.Replace(text ?? "", @"\s+", " ").Trim();
        var plain = Regex.Replace(line, "<at>(.*?)</at>", "$1").Trim();
        if (plain.Length == 0 || plain.Equals("help", StringComparison.OrdinalIgnoreCase) || plain == "?")
        {
            return new BotCommand.Help();
        }

        var words = plain.Split(' ');
        var head = words[0].ToLowerInvariant();
        switch (head)
        {
            case "new" when words.Length > 1 && words[1].Equals("release", StringComparison.OrdinalIgnoreCase):
                return ParseNewRelease(string.Join(' ', words.Skip(2)));
            case "releases":
                return new BotCommand.ListReleases();
            case "templates":
                return new BotCommand.ListTemplates();
            case "status":
                return new BotCommand.Status(words.ElementAtOrDefault(1));
            case "my" when words.Length > 1 && words[1].StartsWith("item", StringComparison.OrdinalIgnoreCase):
                return new BotCommand.MyItems();
            case "assign":
                return ParseAssign(line["assign".Length..].Trim(), mentions);
            case "move":
                return ParseMove(words);
        }

        foreach (var flow in FlowCommands)
        {
            if (plain.StartsWith(flow, StringComparison.OrdinalIgnoreCase) && (plain.Length == flow.Length || plain[flow.Length] == ' '))
            {
                var tail = plain[flow.Length..];
                string? reason = null;
                if (ReasonPattern().Match(tail) is { Success: true } flag)
                {
                    reason = flag.Groups["reason"].Value.Trim();
                    tail = tail[..flag.Index];
                }

                var rest = tail.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var name = flow is "gonogo" or "go-no-go" ? "go/no-go" : flow;
                return name switch
                {
                    "rollback" when rest.Length > 0 && rest[0].ToLowerInvariant() is "approve" or "restored" or "restore" =>
                        new BotCommand.Flow(name, rest[0].ToLowerInvariant(), rest.ElementAtOrDefault(1), reason),
                    "deploy" when rest.Length > 0 => new BotCommand.Flow(name, rest[0].ToLowerInvariant(), rest.ElementAtOrDefault(1), reason),
                    "link" or "unlink" => ParseLink(name, rest),
                    "mute" or "unmute" => rest.FirstOrDefault()?.StartsWith("reminder", StringComparison.OrdinalIgnoreCase) == true
                        ? new BotCommand.Flow(name, "reminders", rest.ElementAtOrDefault(1))
                        : new BotCommand.Invalid($"Say what to {name}: reminders.", MuteUsage),
                    "watch" when rest.Length > 0 => new BotCommand.Flow(name, rest[0], rest.ElementAtOrDefault(1)),
                    "watch" => new BotCommand.Invalid("Say which Azure resource to watch: its resource id, /subscriptions/…/resourceGroups/….", WatchUsage),
                    _ when reason is not null => new BotCommand.Flow(name, null, rest.ElementAtOrDefault(0), reason),
                    "deploy" or "announce" or "stakeholders" => rest.Length == 0
                        ? new BotCommand.Invalid($"'{name}' needs what to do.", UsageOf(name))
                        : new BotCommand.Flow(name, string.Join(' ', rest.Take(rest.Length > 1 && name == "stakeholders" ? rest.Length : 1)).ToLowerInvariant(), name == "stakeholders" ? null : rest.ElementAtOrDefault(1)),
                    _ => new BotCommand.Flow(name, null, rest.ElementAtOrDefault(0)),
                };
            }
        }

        return new BotCommand.Invalid($"I don't know the command \"{ReleaseCards.Shorten(plain, EchoLength)}\".", "help");
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

    private static string UsageOf(string flow) => Commands.FirstOrDefault(c => c.Command.StartsWith(flow, StringComparison.Ordinal)).Command ?? flow;

    /// <summary>The pattern a version must match, shared with the new-release form's Input.Text regex.</summary>
    public const string VersionRegex = @"^[0-9A-Za-z][0-9A-Za-z.\-+_]{0,39}$";

    private static BotCommand ParseNewRelease(string text)
    {
        var match = NewReleasePattern().Match(text);
        if (!match.Success)
        {
            return new BotCommand.Invalid("A new release needs a version and a date.", NewReleaseUsage);
        }

        var rest = match.Groups["rest"].Value;
        var scope = ScopePattern().Match(rest) is { Success: true } s ? s.Groups["scope"].Value.Trim() : null;
        if (scope is not null)
        {
            rest = rest[..ScopePattern().Match(rest).Index];
        }

        string? from = null, to = null;
        var malformedWindow = false;
        if (WindowPattern().Match(rest) is { Success: true } w)
        {
            (from, to) = (w.Groups["from"].Value, w.Groups["to"].Value);
            rest = rest.Remove(w.Index, w.Length);
        }
        else if (rest.Contains("window", StringComparison.OrdinalIgnoreCase))
        {
            malformedWindow = true;
        }

        string? zone = null;
        if (!malformedWindow && ZonePattern().Match(rest) is { Success: true } z)
        {
            zone = z.Groups["tz"].Value;
            rest = rest.Remove(z.Index, z.Length);
        }

        string? template = null;
        if (!malformedWindow && TemplatePattern().Match(rest) is { Success: true } t)
        {
            template = t.Groups["id"].Value;
            rest = rest.Remove(t.Index, t.Length);
        }

        var checkedFields = NewReleaseFrom(match.Groups["version"].Value, match.Groups["date"].Value, from, to, malformedWindow ? null : zone, template, scope);
        if (checkedFields is BotCommand.Invalid)
        {
            return checkedFields;
        }

        if (malformedWindow)
        {
            return new BotCommand.Invalid("The deployment window must look like window 10:00-12:00.", NewReleaseUsage);
        }

        if (rest.Trim().Length > 0)
        {
            return new BotCommand.Invalid($"I don't understand \"{ReleaseCards.Shorten(rest.Trim(), EchoLength)}\" in a new release.", NewReleaseUsage);
        }

        return checkedFields;
    }

    /// <summary>
    /// The rules of a new release, whether it was typed or filled in on the form: version, date (yyyy-MM-dd), an optional
    /// window (two different times, H:mm), an optional IANA time zone, template id and scope.
    /// </summary>
    public static BotCommand NewReleaseFrom(string version, string dateText, string? windowFrom, string? windowTo, string? timeZoneId, string? templateId, string? scope)
    {
        version = version.Trim();
        if (version.Length == 0)
        {
            return new BotCommand.Invalid("A new release needs a version, e.g. 2.4.0.", NewReleaseUsage);
        }

        if (TextLimits.TooLong("The version", version, TextLimits.Version) is { } longVersion)
        {
            return new BotCommand.Invalid($"{longVersion} Nothing was created.", NewReleaseUsage);
        }

        if (!VersionPattern().IsMatch(version))
        {
            return new BotCommand.Invalid($"\"{ReleaseCards.Shorten(version, EchoLength)}\" is not a version: use letters, digits, dots and dashes, e.g. 2.4.0.", NewReleaseUsage);
        }

        if (!TryDate(dateText.Trim(), out var date))
        {
            return new BotCommand.Invalid($"\"{ReleaseCards.Shorten(dateText, EchoLength)}\" is not a date: write it as yyyy-MM-dd, e.g. 2026-12-10.", NewReleaseUsage);
        }

        scope = string.IsNullOrWhiteSpace(scope) ? null : scope.Trim();
        if (scope is not null && TextLimits.TooLong("Scope", scope, TextLimits.Scope) is { } longScope)
        {
            return new BotCommand.Invalid($"{longScope} Nothing was created; put the details behind a link.", NewReleaseUsage);
        }

        DeploymentWindow? window = null;
        if (!string.IsNullOrWhiteSpace(windowFrom) || !string.IsNullOrWhiteSpace(windowTo))
        {
            if (!TimeOnly.TryParseExact(windowFrom?.Trim(), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                || !TimeOnly.TryParseExact(windowTo?.Trim(), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
                || from == to)
            {
                return new BotCommand.Invalid($"\"window {ReleaseCards.Shorten($"{windowFrom}-{windowTo}", EchoLength)}\" is not a deployment window: write two different times, e.g. window 10:00-12:00.", NewReleaseUsage);
            }

            window = new DeploymentWindow(from, to);
        }

        string? zone = string.IsNullOrWhiteSpace(timeZoneId) ? null : timeZoneId.Trim();
        if (zone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            return new BotCommand.Invalid($"\"{ReleaseCards.Shorten(zone, EchoLength)}\" is not a time zone I know: use an IANA name such as Europe/Berlin or America/New_York.", NewReleaseUsage);
        }

        var template = string.IsNullOrWhiteSpace(templateId) ? null : templateId.Trim().ToLowerInvariant();
        return new BotCommand.NewRelease(version, date, window, zone, scope, template);
    }

    private static BotCommand ParseAssign(string text, IReadOnlyList<Person> mentions)
    {
        string? version = null;
        if (ForVersionPattern().Match(text) is { Success: true } f)
        {
            version = f.Groups["version"].Value;
            text = text[..f.Index];
        }

        var at = text.IndexOf("<at>", StringComparison.OrdinalIgnoreCase);
        var email = EmailPattern().Match(text);
        var roleText = at >= 0 ? text[..at] : email.Success ? text[..email.Index] : text;
        if (!ReleaseRoles.TryParse(roleText.Trim(), out var role))
        {
            return new BotCommand.Invalid(
                string.IsNullOrWhiteSpace(roleText) ? "Say which role to assign." : $"\"{ReleaseCards.Shorten(roleText.Trim(), EchoLength)}\" is not a role. Roles: {ReleaseRoles.Accepted}.",
                AssignUsage);
        }

        if (at >= 0 && mentions.Count > 0)
        {
            return new BotCommand.Assign(role, mentions[0], null, version);
        }

        return email.Success
            ? new BotCommand.Assign(role, null, email.Value, version)
            : new BotCommand.Invalid($"Say who gets the {role.DisplayName()} role: @mention them or write their email address.", AssignUsage);
    }

    private static BotCommand ParseMove(string[] words)
    {
        // move release <version> to <date>
        if (words.Length == 5 && words[1].Equals("release", StringComparison.OrdinalIgnoreCase) && words[3].Equals("to", StringComparison.OrdinalIgnoreCase))
        {
            return TryDate(words[4], out var date)
                ? new BotCommand.MoveRelease(words[2], date)
                : new BotCommand.Invalid($"\"{ReleaseCards.Shorten(words[4], EchoLength)}\" is not a date: write it as yyyy-MM-dd.", MoveUsage);
        }

        return new BotCommand.Invalid("To move a release, name it and the new date.", MoveUsage);
    }

    private static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, ["yyyy-MM-dd", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

}
