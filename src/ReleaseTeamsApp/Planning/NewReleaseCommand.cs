using System.Globalization;
using System.Text.RegularExpressions;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Planning;

/// <summary>A new release as typed or filled in on the form.</summary>
/// <param name="TemplateId">The team's checklist template to use; null for the latest version of the built-in one.</param>
internal sealed record NewRelease(string Version, DateOnly Date, DeploymentWindow? Window, string? TimeZoneId, string? Scope, string? TemplateId = null) : BotCommand;

/// <summary><c>new release 2.5.0 on 2026-12-24 …</c>: creates the release from a checklist template and posts its thread.</summary>
internal sealed partial class NewReleaseCommand(ReleaseCreation creation, ReleaseThreadPublisher publisher) : BotOperation
{
    public const string Usage = BotCommandParser.NewReleaseUsage;

    public override IReadOnlyList<CommandWord> Commands => [new("new release")];

    public override IReadOnlyList<CommandHelp> Help => [new(Usage, "create a release from the checklist template and post it as a new thread", 10)];

    public override BotCommand Parse(CommandText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Read(text.Rest);
    }

    public override async Task HandleCommandAsync(TurnContext turn, BotCommand command, CancellationToken cancellationToken)
    {
        if (command is NewRelease create && await creation.CreateAsync(turn, create, cancellationToken) is { Error: { } refused })
        {
            await publisher.ReplyTextAsync(turn, refused, cancellationToken);
        }
    }

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

    [GeneratedRegex(BotCommandParser.VersionRegex, RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    /// <summary>The text after "new release": version, "on" and the date, then optional window, tz, template and scope.</summary>
    public static BotCommand Read(string text)
    {
        var match = NewReleasePattern().Match(text);
        if (!match.Success)
        {
            return new BotCommand.Invalid("A new release needs a version and a date.", Usage);
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

        var checkedFields = From(match.Groups["version"].Value, match.Groups["date"].Value, from, to, malformedWindow ? null : zone, template, scope);
        if (checkedFields is BotCommand.Invalid)
        {
            return checkedFields;
        }

        if (malformedWindow)
        {
            return new BotCommand.Invalid("The deployment window must look like window 10:00-12:00.", Usage);
        }

        if (rest.Trim().Length > 0)
        {
            return new BotCommand.Invalid($"I don't understand \"{BotCommandParser.Echo(rest.Trim())}\" in a new release.", Usage);
        }

        return checkedFields;
    }

    /// <summary>
    /// The rules of a new release, whether it was typed or filled in on the form: version, date (yyyy-MM-dd), an optional
    /// window (two different times, H:mm), an optional IANA time zone, template id and scope.
    /// </summary>
    public static BotCommand From(string version, string dateText, string? windowFrom, string? windowTo, string? timeZoneId, string? templateId, string? scope)
    {
        version = version.Trim();
        if (version.Length == 0)
        {
            return new BotCommand.Invalid("A new release needs a version, e.g. 2.4.0.", Usage);
        }

        if (TextLimits.TooLong("The version", version, TextLimits.Version) is { } longVersion)
        {
            return new BotCommand.Invalid($"{longVersion} Nothing was created.", Usage);
        }

        if (!VersionPattern().IsMatch(version))
        {
            return new BotCommand.Invalid($"\"{BotCommandParser.Echo(version)}\" is not a version: use letters, digits, dots and dashes, e.g. 2.4.0.", Usage);
        }

        if (!BotCommandParser.TryDate(dateText.Trim(), out var date))
        {
            return new BotCommand.Invalid($"\"{BotCommandParser.Echo(dateText)}\" is not a date: write it as yyyy-MM-dd, e.g. 2026-12-10.", Usage);
        }

        scope = string.IsNullOrWhiteSpace(scope) ? null : scope.Trim();
        if (scope is not null && TextLimits.TooLong("Scope", scope, TextLimits.Scope) is { } longScope)
        {
            return new BotCommand.Invalid($"{longScope} Nothing was created; put the details behind a link.", Usage);
        }

        DeploymentWindow? window = null;
        if (!string.IsNullOrWhiteSpace(windowFrom) || !string.IsNullOrWhiteSpace(windowTo))
        {
            if (!TimeOnly.TryParseExact(windowFrom?.Trim(), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                || !TimeOnly.TryParseExact(windowTo?.Trim(), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
                || from == to)
            {
                return new BotCommand.Invalid($"\"window {BotCommandParser.Echo($"{windowFrom}-{windowTo}")}\" is not a deployment window: write two different times, e.g. window 10:00-12:00.", Usage);
            }

            window = new DeploymentWindow(from, to);
        }

        string? zone = string.IsNullOrWhiteSpace(timeZoneId) ? null : timeZoneId.Trim();
        if (zone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            return new BotCommand.Invalid($"\"{BotCommandParser.Echo(zone)}\" is not a time zone I know: use an IANA name such as Europe/Berlin or America/New_York.", Usage);
        }

        var template = string.IsNullOrWhiteSpace(templateId) ? null : templateId.Trim().ToLowerInvariant();
        return new NewRelease(version, date, window, zone, scope, template);
    }
}
