using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Announcements;

/// <summary>Cards of the Graph features: the stakeholder announcement (preview and sent) and the booked retrospective.</summary>
internal static partial class GraphCards
{
    public const string AnnouncementTemplate = "announcement";
    public const string RetrospectiveTemplate = "retrospective";

    public const string VerbAnnounceSend = "announce.send";
    public const string VerbAnnounceCancel = "announce.cancel";

    public const string RecordedNote = "(recorded, not sent: local mode)";

    /// <summary>Recipients listed on the card; the rest are counted, so a long list cannot push the card past its size budget.</summary>
    public const int MaxRecipientsShown = 15;

    /// <summary>The announcement as the Release Manager confirms it: subject, recipients, the mail as text, Send / Cancel.</summary>
    public static JsonObject AnnouncementPreview(Release release, AnnouncementKind kind, AnnouncementPreview preview, CardNotice? notice = null) =>
        Announcement(release, kind, preview, $"Preview: {Name(kind)} announcement of {release.Version}", notice,
            "Nothing is sent until you choose Send. Each announcement goes out once per release.", canSend: true);

    /// <summary>The announcement as posted in the release thread once it was queued.</summary>
    public static JsonObject AnnouncementSent(Release release, AnnouncementKind kind, AnnouncementPreview preview, Person sentBy, bool recorded) =>
        Announcement(release, kind, preview, $"{Capitalized(Name(kind))} announcement of {release.Version}", null,
            $"Sent by {sentBy.Name} to {preview.Recipients.Count} stakeholder(s) through the outbox." + (recorded ? " " + RecordedNote : ""), canSend: false);

    /// <summary>The retrospective's Teams meeting, posted once into the release thread when the event exists.</summary>
    public static JsonObject Retrospective(Release release, OutboxResult result, int attendees, IReadOnlyList<string> notes)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(notes);
        var when = result.Start is { } start
            ? release.ToLocal(start).ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + $" ({release.TimeZoneId})"
            : "see the calendar invitation";
        return CardTemplates.Expand(RetrospectiveTemplate, new RetrospectiveCardData(
            Title: $"Retrospective of release {release.Version} is booked",
            Recorded: result.Recorded,
            RecordedText: $"Local mode: this meeting and its link are a recording, nobody was invited {RecordedNote}.",
            When: when,
            Attendees: attendees == 1 ? "1 person" : $"{attendees} people",
            HasNotes: notes.Count > 0,
            Notes: string.Join("\n", notes.Select(n => "- " + n)),
            JoinUrl: result.JoinUrl,
            HasWebLink: result.WebLink is not null,
            WebLink: result.WebLink));
    }

    /// <summary>The readable text of an announcement mail: one line per paragraph, heading and table row.</summary>
    public static string Text(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = BreakTags().Replace(html, "\n");
        text = CellEnd().Replace(text, ": ");
        text = AnyTag().Replace(text, "");
        var lines = WebUtility.HtmlDecode(text).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);
        return string.Join("\n\n", lines);
    }

    public static string Name(AnnouncementKind kind) => kind.ToString().ToLowerInvariant();

    private static JsonObject Announcement(Release release, AnnouncementKind kind, AnnouncementPreview preview, string heading, CardNotice? notice, string footer, bool canSend)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(preview);
        var shown = preview.Recipients.Take(MaxRecipientsShown).ToList();
        var recipients = preview.Recipients.Count == 0
            ? "nobody yet"
            : string.Join(", ", shown) + (preview.Recipients.Count > shown.Count ? $" and {preview.Recipients.Count - shown.Count} more" : "");
        return CardTemplates.Expand(AnnouncementTemplate, new AnnouncementCardData(
            Heading: heading,
            HasStatus: notice is not null,
            Status: NoticeBanner.Of(notice),
            Subject: preview.Subject,
            Recipients: recipients,
            Summary: Text(preview.Html),
            Footer: footer,
            CanSend: canSend,
            SendVerb: VerbAnnounceSend,
            CancelVerb: VerbAnnounceCancel,
            Release: release.Id,
            Kind: Name(kind)));
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    [GeneratedRegex(@"<(br\s*/?|/p|/h\d|/tr|/li|/div)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BreakTags();

    [GeneratedRegex(@"</th>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CellEnd();

    [GeneratedRegex(@"<[^>]+>", RegexOptions.CultureInvariant)]
    private static partial Regex AnyTag();
}
