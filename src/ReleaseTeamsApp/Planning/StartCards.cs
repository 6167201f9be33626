using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Planning;

/// <summary>What a person fills in on the new-release form; kept as typed so a refused form comes back with its values.</summary>
internal sealed record NewReleaseFormValues(string? Version, string? Date, string? WindowFrom, string? WindowTo, string? TimeZone, string? Template, string? Scope);

/// <summary>The cards people start from: the welcome, help, and the new-release form.</summary>
internal sealed class StartCards(TimeProvider time)
{
    public const string VerbHelp = "start.help";
    public const string VerbNewReleaseForm = "release.form";
    public const string VerbCreateRelease = "release.create";
    public const string VerbMyItems = "start.myitems";

    /// <summary>Templates offered in the form (the built-in one first); a team with more uses the typed command for the rest.</summary>
    public const int MaxTemplateChoices = 25;

    /// <summary>
    /// The zones offered in the form's typeahead (IANA ids, grouped roughly west to east); a zone not listed is still
    /// accepted by the typed command. The person's own zone (from Teams' clientInfo) is added when missing.
    /// </summary>
    public static readonly IReadOnlyList<string> CommonTimeZones =
    [
        "UTC", "Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Vancouver", "America/Denver", "America/Phoenix",
        "America/Chicago", "America/Mexico_City", "America/New_York", "America/Toronto", "America/Bogota", "America/Lima", "America/Halifax",
        "America/Santiago", "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "Atlantic/Reykjavik", "Europe/London", "Europe/Dublin",
        "Europe/Lisbon", "Africa/Casablanca", "Africa/Lagos", "Europe/Amsterdam", "Europe/Berlin", "Europe/Brussels", "Europe/Madrid",
        "Europe/Paris", "Europe/Rome", "Europe/Stockholm", "Europe/Vienna", "Europe/Warsaw", "Europe/Zurich", "Europe/Prague",
        "Africa/Cairo", "Africa/Johannesburg", "Europe/Athens", "Europe/Bucharest", "Europe/Helsinki", "Europe/Kyiv", "Asia/Jerusalem",
        "Europe/Istanbul", "Europe/Moscow", "Asia/Riyadh", "Africa/Nairobi", "Asia/Dubai", "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu",
        "Asia/Dhaka", "Asia/Bangkok", "Asia/Jakarta", "Asia/Singapore", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Manila",
        "Australia/Perth", "Asia/Seoul", "Asia/Tokyo", "Australia/Adelaide", "Australia/Brisbane", "Australia/Sydney", "Australia/Melbourne",
        "Pacific/Auckland",
    ];

    /// <summary>The welcome posted when the app is installed: what it does and buttons to start.</summary>
    public static JsonObject Welcome(string appName, string botName) => Start(
        $"{appName} is here",
        "I run release checklists in this channel: each owner ticks their items on the cards, I remind people before things are due, and I keep the audit trail. " +
        $"Press New release to start one. Prefer typing? Mention @{botName} and say **help**.",
        null,
        [(Title: "New release", Verb: VerbNewReleaseForm), ("My items", VerbMyItems), ("Help", VerbHelp)],
        null);

    /// <summary>The answer to help: the buttons, and every typed command with what it does.</summary>
    public static JsonObject Help(string appName, IEnumerable<(string Command, string Meaning)> commands, CardNotice? notice = null)
    {
        var text = new StringBuilder();
        foreach (var (command, meaning) in commands)
        {
            text.Append(CultureInfo.InvariantCulture, $"- **{command}** — {meaning}\n");
        }

        return Start(
            $"What {appName} does",
            "Start a release, see what you own, or type a command. Everything on the release's cards works with a click.",
            text.ToString(),
            [("New release", VerbNewReleaseForm), ("My items", VerbMyItems)],
            notice);
    }

    /// <summary>The form's answer once the release exists: where its cards are, and the buttons to go on.</summary>
    public static JsonObject Created(string appName, Release release) => Start(
        $"Release {release.Version} is set up",
        $"{appName} posted its checklist in a new thread of this channel, one card per phase. Assign the roles on the release's summary card (Assign people) so everyone sees their items.",
        null,
        [("New release", VerbNewReleaseForm), ("My items", VerbMyItems)],
        new CardNotice($"Created release {release.Version} on {release.ReleaseDate:ddd d MMM yyyy}, window {release.Window} ({release.TimeZoneId}).", NoticeStyle.Good));

    /// <summary>
    /// The new-release form: version, date, window, time zone (typeahead), template and scope. <paramref name="values"/>
    /// keeps what the person typed when the form comes back with <paramref name="notice"/> (why it was refused).
    /// </summary>
    public JsonObject NewReleaseForm(IReadOnlyList<TemplateSummary> templates, NewReleaseFormValues? values, string? personalZone, CardNotice? notice = null)
    {
        var zones = CommonTimeZones.ToList();
        foreach (var zone in new[] { personalZone, values?.TimeZone })
        {
            if (zone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _) && !zones.Contains(zone, StringComparer.Ordinal))
            {
                zones.Insert(1, zone);
            }
        }

        var latest = templates.GroupBy(t => t.Id).Select(g => g.MaxBy(t => t.Version)!).ToList();
        var offered = latest.OrderByDescending(t => t.BuiltIn).ThenByDescending(t => t.Id == values?.Template).ThenBy(t => t.Id, StringComparer.Ordinal).Take(MaxTemplateChoices).ToList();
        var window = DeploymentWindow.Default;
        return CardTemplates.Expand(CardTemplates.NewReleaseForm, new NewReleaseFormData(
            HasNotice: notice is not null,
            Notice: NoticeBanner.Of(notice),
            Version: values?.Version ?? "",
            Date: values?.Date ?? "",
            MinDate: DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            WindowFrom: values?.WindowFrom ?? window.Start.ToString("HH:mm", CultureInfo.InvariantCulture),
            WindowTo: values?.WindowTo ?? window.End.ToString("HH:mm", CultureInfo.InvariantCulture),
            TimeZone: values?.TimeZone ?? personalZone ?? "UTC",
            Zones: zones.Select(z => new CardChoice(z.Replace('_', ' '), z)).ToList(),
            Template: values?.Template is { Length: > 0 } chosen && offered.Any(t => t.Id == chosen) ? chosen : TemplateLibrary.BuiltIn.Id,
            HasMoreTemplates: latest.Count > offered.Count,
            MoreTemplates: $"This team has {latest.Count - offered.Count} more templates than fit here: say **templates** to list them, and type **new release 2.5.0 on 2026-12-24 template** with the template's id to use one.",
            Templates: offered.Select(t => new CardChoice($"{ReleaseCards.Shorten(t.Name, 60)} ({t.Items} items)", t.Id)).ToList(),
            Scope: values?.Scope ?? "",
            VersionRegex: Teams.BotCommandParser.VersionRegex,
            VersionMax: TextLimits.Version,
            ScopeMax: TextLimits.Scope));
    }

    private static JsonObject Start(string title, string message, string? commands, IEnumerable<(string Title, string Verb)> buttons, CardNotice? notice) =>
        CardTemplates.Expand(CardTemplates.Start, new StartCardData(
            title,
            message,
            commands is not null,
            commands,
            notice is not null,
            NoticeBanner.Of(notice),
            buttons.Select(b => new CardButton(b.Title, b.Verb)).ToList()));
}
