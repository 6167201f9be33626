using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Announcements;

internal enum AnnouncementKind
{
    Deployment,
    Release,
    Rollback,
}

/// <summary>Outbox keys of announcements: one mail per kind and release, however often it is asked for.</summary>
internal static class AnnouncementKeys
{
    public static string Outbox(string releaseId, AnnouncementKind kind) => $"announce|{kind.ToString().ToLowerInvariant()}|{releaseId}";
}

/// <summary>The mail as stakeholders will get it, for the card the Release Manager confirms.</summary>
internal sealed record AnnouncementPreview(string Subject, string Html, IReadOnlyList<string> Recipients)
{
    /// <summary>Stakeholders of the release the mail does not go to: outside Graph:AllowedRecipientDomains.</summary>
    public IReadOnlyList<string> LeftOut { get; init; } = [];
}

internal enum AnnouncementOutcome
{
    Enqueued,

    /// <summary>This announcement of this release was already queued (or sent): nothing new is sent.</summary>
    AlreadyEnqueued,

    /// <summary>The release has no stakeholders (in the allowed mail domains), so there is nobody to mail.</summary>
    NoStakeholders,

    /// <summary>Asked from a chat or a personal conversation: announcements go out only from team channels.</summary>
    NotFromTeamChannel,

    /// <summary>The sender reached Graph:MaxAnnouncementsPerPersonPerDay today.</summary>
    DailyLimitReached,
}

internal sealed record AnnouncementResult(AnnouncementPreview Preview, AnnouncementOutcome Outcome, string Message);

/// <summary>
/// Deployment, release and rollback announcements mailed to the release's stakeholders: once per release and kind, only
/// to the allowed mail domains, only from team channels, and at most Graph:MaxAnnouncementsPerPersonPerDay per person.
/// </summary>
internal sealed class StakeholderAnnouncements(GraphOutbox outbox, AnnouncementQuota quota, IOptions<GraphOptions> options)
{
    public const string OnlyFromTeamChannels =
        "Stakeholder announcements are sent only from a team channel, not from a chat or a personal conversation: say **announce …** in the team channel where the release lives.";

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

    /// <summary>The preview with the recipients the mail really goes to; stakeholders outside the allowed domains are in LeftOut.</summary>
    public AnnouncementPreview Addressed(ReleaseState state, AnnouncementKind kind, Person sentBy)
    {
        var preview = Preview(state, kind, sentBy);
        var allowed = options.Value;
        return preview with
        {
            Recipients = preview.Recipients.Where(allowed.AllowsRecipient).ToList(),
            LeftOut = preview.Recipients.Where(r => !allowed.AllowsRecipient(r)).ToList(),
        };
    }

    /// <summary>Queues the mail unless a rule refuses it; every refusal's message says what to do next.</summary>
    public async Task<AnnouncementResult> EnqueueAsync(ReleaseState state, AnnouncementKind kind, Person sentBy, bool fromTeamChannel, CancellationToken cancellationToken)
    {
        var preview = Addressed(state, kind, sentBy);
        var release = state.Release;
        var name = kind.ToString().ToLowerInvariant();
        if (!fromTeamChannel)
        {
            return new AnnouncementResult(preview, AnnouncementOutcome.NotFromTeamChannel, OnlyFromTeamChannels);
        }

        if (preview.Recipients.Count == 0)
        {
            return new AnnouncementResult(preview, AnnouncementOutcome.NoStakeholders, NoStakeholders(release, preview));
        }

        var key = AnnouncementKeys.Outbox(release.Id, kind);
        if (await outbox.GetAsync(release.Id, key, cancellationToken) is not null)
        {
            return new AnnouncementResult(preview, AnnouncementOutcome.AlreadyEnqueued, AlreadySent(release, name));
        }

        if (await quota.TryTakeAsync(release.Channel.TenantId, sentBy, key, cancellationToken) is not { } slot)
        {
            return new AnnouncementResult(preview, AnnouncementOutcome.DailyLimitReached,
                $"You have sent {options.Value.MaxAnnouncementsPerPersonPerDay} stakeholder announcements today, the daily limit per person, so nothing was sent: " +
                $"send this one tomorrow (UTC), or ask another Release Manager or Product Manager of {release.Version} to send it.");
        }

        if (!await outbox.EnqueueAsync(release.Id, key, OutboxKind.AnnouncementMail, new MailPayload(preview.Subject, preview.Html, preview.Recipients), cancellationToken))
        {
            // Queued by a concurrent click meanwhile: it does not count twice.
            await quota.ReturnAsync(slot, cancellationToken);
            return new AnnouncementResult(preview, AnnouncementOutcome.AlreadyEnqueued, AlreadySent(release, name));
        }

        return new AnnouncementResult(preview, AnnouncementOutcome.Enqueued, $"The {name} announcement goes to {preview.Recipients.Count} stakeholder(s) shortly.");
    }

    /// <summary>Why nobody is mailed, and what to do: add stakeholders, or have the admin allow their domain.</summary>
    public string NoStakeholders(Release release, AnnouncementPreview preview)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(preview);
        return preview.LeftOut.Count == 0
            ? $"Release {release.Version} has no stakeholders yet, so there is nobody to announce to: the Release Manager adds them with **stakeholders add jane.doe@contoso.com, ops@contoso.com**, then say **announce …** again."
            : $"None of the stakeholders of {release.Version} ({string.Join(", ", preview.LeftOut)}) is in the mail domains this app may mail ({string.Join(", ", options.Value.RecipientDomains())}), so nothing was sent: " +
              "ask your admin to add their domain to Graph__AllowedRecipientDomains, or add stakeholders in those domains with **stakeholders add …**.";
    }

    private static string AlreadySent(Release release, string name) =>
        $"The {name} announcement of {release.Version} was already sent or queued; it is not sent twice. Say **outbox {release.Version}** to see it.";

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
