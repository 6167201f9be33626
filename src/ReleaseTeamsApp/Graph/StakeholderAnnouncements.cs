using System.Globalization;
using System.Net;
using System.Text;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Graph;

public enum AnnouncementKind
{
    Deployment,
    Release,
    Rollback,
}

/// <summary>The mail as stakeholders will get it, for the card the Release Manager confirms.</summary>
public sealed record AnnouncementPreview(string Subject, string Html, IReadOnlyList<string> Recipients);

public enum AnnouncementOutcome
{
    Enqueued,

    /// <summary>This announcement of this release was already queued (or sent): nothing new is sent.</summary>
    AlreadyEnqueued,

    /// <summary>The release has no stakeholders, so there is nobody to mail.</summary>
    NoStakeholders,
}

public sealed record AnnouncementResult(AnnouncementPreview Preview, AnnouncementOutcome Outcome, string Message);

/// <summary>Deployment, release and rollback announcements mailed to the release's stakeholders, once per release and kind.</summary>
public sealed class StakeholderAnnouncements(GraphOutbox outbox, Microsoft.Extensions.Options.IOptions<GraphOptions> options)
{
    public static AnnouncementPreview Preview(ReleaseState state, AnnouncementKind kind, Person sentBy)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(sentBy);
        var release = state.Release;
        var local = release.ToLocal(release.Start);
        var zone = release.TimeZoneId;
        var date = local.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);
        var (subject, lead) = kind switch
        {
            AnnouncementKind.Deployment => ($"Deployment of {release.Version} on {date}, {release.Window} ({zone})",
                $"Release {release.Version} will be deployed on {date} between {release.Window} ({zone})."),
            AnnouncementKind.Release => ($"{release.Version} is released",
                $"Release {release.Version} was deployed and is now live."),
            AnnouncementKind.Rollback => ($"{release.Version} was rolled back",
                $"Release {release.Version} was rolled back. The previous version is live again; a retrospective and root-cause analysis will follow."),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown announcement kind."),
        };

        var done = state.Items.Count(i => i.IsSettled);
        var html = new StringBuilder();
        html.Append("<div style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.5\">");
        html.Append(CultureInfo.InvariantCulture, $"<h2 style=\"margin:0 0 8px\">{E(subject)}</h2><p>{E(lead)}</p>");
        html.Append("<table cellpadding=\"6\" style=\"border-collapse:collapse\">");
        Row(html, "Version", release.Version);
        Row(html, "Date", date);
        Row(html, "Deployment window", $"{release.Window} ({zone})");
        Row(html, "Scope", string.IsNullOrWhiteSpace(release.Scope) ? "not stated" : release.Scope);
        Row(html, "Status", $"{Status(release.Status)} — {done} of {state.Items.Count} checklist items done");
        html.Append("</table>");
        html.Append(CultureInfo.InvariantCulture, $"<p style=\"color:#616161\">Sent by {E(sentBy.Name)} from the release channel in Microsoft Teams.</p></div>");

        var recipients = release.Stakeholders.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new AnnouncementPreview(subject, html.ToString(), recipients);
    }

    public async Task<AnnouncementResult> EnqueueAsync(ReleaseState state, AnnouncementKind kind, Person sentBy, CancellationToken cancellationToken)
    {
        var preview = Preview(state, kind, sentBy);
        // Addresses stored before the domain rule (or before its setting changed) are never mailed.
        preview = preview with { Recipients = preview.Recipients.Where(options.Value.AllowsRecipient).ToList() };
        var release = state.Release;
        if (preview.Recipients.Count == 0)
        {
            return new AnnouncementResult(preview, AnnouncementOutcome.NoStakeholders,
                $"Release {release.Version} has no stakeholders yet, so the {kind.ToString().ToLowerInvariant()} announcement was not sent. Add stakeholders to the release first.");
        }

        var key = OutboxKeys.Announcement(release.Id, kind);
        var added = await outbox.EnqueueAsync(release.Id, key, OutboxKind.AnnouncementMail, new MailPayload(preview.Subject, preview.Html, preview.Recipients), cancellationToken);
        return added
            ? new AnnouncementResult(preview, AnnouncementOutcome.Enqueued, $"The {kind.ToString().ToLowerInvariant()} announcement goes to {preview.Recipients.Count} stakeholder(s) shortly.")
            : new AnnouncementResult(preview, AnnouncementOutcome.AlreadyEnqueued, $"The {kind.ToString().ToLowerInvariant()} announcement of {release.Version} was already sent or queued; it is not sent twice.");
    }

    private static string Status(ReleaseStatus status) => status switch
    {
        ReleaseStatus.Planning => "Planned",
        ReleaseStatus.Deploying => "Deploying",
        ReleaseStatus.Deployed => "Deployed",
        ReleaseStatus.RolledBack => "Rolled back",
        ReleaseStatus.Closed => "Closed",
        _ => status.ToString(),
    };

    private static void Row(StringBuilder html, string label, string value) =>
        html.Append(CultureInfo.InvariantCulture, $"<tr><th align=\"left\" style=\"border-bottom:1px solid #e0e0e0\">{E(label)}</th><td style=\"border-bottom:1px solid #e0e0e0\">{E(value)}</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
