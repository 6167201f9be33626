using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Retrospective;

/// <summary>What a retrospective request did: created the one event entry, queued an agenda update, or nothing new.</summary>
public sealed record RetrospectiveRequested(string Key, RetrospectiveChange Change, IReadOnlyList<Invitee> Attendees, IReadOnlyList<string> Notes);

public enum RetrospectiveChange
{
    /// <summary>The event is queued for creation (first request).</summary>
    EventQueued,

    /// <summary>The event exists or is queued; its agenda changed, so a PATCH of the body is queued (no re-invite).</summary>
    AgendaUpdateQueued,

    Unchanged,
}

/// <summary>Books the release's one retrospective: a calendar event with a Teams meeting for all role holders and stakeholders.</summary>
public sealed class RetrospectiveBooking(GraphOutbox outbox, IOptions<GraphOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Duration = TimeSpan.FromHours(1);

    /// <summary>The earliest day the retrospective may be, counted from the release date (monitoring runs 24–48 h first).</summary>
    public const int EarliestDaysAfterDeployment = 3;

    /// <summary>Enqueues the event once per release; a later request with a changed agenda queues only a body update.</summary>
    public async Task<RetrospectiveRequested> RequestAsync(ReleaseState state, IReadOnlyList<AuditEvent> audit, TimeSpan? deploymentDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var release = state.Release;
        var key = RetrospectiveKeys.Event(release.Id);
        var agenda = RetrospectiveAgenda.Html(state, audit, deploymentDuration);
        var (attendees, notes) = Attendees(release, options.Value);
        var (windowStart, windowEnd, defaultStart) = Slot(release, options.Value.DefaultRetrospectiveTime);
        var payload = new RetrospectivePayload(
            $"Retrospective: release {release.Version}", agenda, attendees, windowStart, windowEnd, defaultStart, Duration, OutboxKeys.TransactionId(key));

        if (await outbox.EnqueueAsync(release.Id, key, OutboxKind.RetrospectiveEvent, payload, cancellationToken))
        {
            return new RetrospectiveRequested(key, RetrospectiveChange.EventQueued, attendees, notes);
        }

        var rows = await outbox.ListRowsAsync(release.Id, cancellationToken);
        var latest = rows
            .Where(r => r.Kind == nameof(OutboxKind.RetrospectiveAgenda) && StoredJson.Read<AgendaPayload>(r.Payload).EventKey == key)
            .OrderByDescending(r => r.CreatedAt)
            .Select(r => StoredJson.Read<AgendaPayload>(r.Payload).AgendaHtml)
            .FirstOrDefault()
            ?? rows.Where(r => r.Key == key).Select(r => StoredJson.Read<RetrospectivePayload>(r.Payload).AgendaHtml).FirstOrDefault();
        if (latest == agenda)
        {
            return new RetrospectiveRequested(key, RetrospectiveChange.Unchanged, attendees, notes);
        }

        await outbox.EnqueueAsync(release.Id, RetrospectiveKeys.Agenda(release.Id, time.GetUtcNow()), OutboxKind.RetrospectiveAgenda, new AgendaPayload(key, agenda), cancellationToken);
        return new RetrospectiveRequested(key, RetrospectiveChange.AgendaUpdateQueued, attendees, notes);
    }

    /// <summary>
    /// Role holders with a known email, then stakeholders, in the allowed mail domains only (the organizer mailbox is no
    /// relay either); people without an address and addresses outside the domains are named in the notes.
    /// </summary>
    public static (IReadOnlyList<Invitee> Attendees, IReadOnlyList<string> Notes) Attendees(Release release, GraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(options);
        var attendees = new List<Invitee>();
        var notes = new List<string>();
        foreach (var person in release.Roles.Everyone)
        {
            if (string.IsNullOrWhiteSpace(person.Email))
            {
                notes.Add($"{person.Name} has no known email address, so they are not invited. Add them to the meeting by hand.");
                continue;
            }

            attendees.Add(new Invitee(person.Email.Trim(), person.Name));
        }

        attendees.AddRange(release.Stakeholders.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => new Invitee(s.Trim(), null)));
        var distinct = attendees.DistinctBy(a => a.Email, StringComparer.OrdinalIgnoreCase).ToList();
        var leftOut = distinct.Where(a => !options.AllowsRecipient(a.Email)).Select(a => a.Name is null ? a.Email : $"{a.Name} ({a.Email})").ToList();
        if (options.LeftOutNotice(leftOut, "invitation") is { } notice)
        {
            notes.Add(notice);
        }

        return (distinct.Where(a => options.AllowsRecipient(a.Email)).ToList(), notes);
    }

    /// <summary>
    /// Where Graph may look for a slot: from the first working day ≥ 3 days after the release date (09:00 local)
    /// to 7 days after it (17:00 local); if nobody is free, <paramref name="defaultTime"/> on that first working day.
    /// </summary>
    public static (DateTimeOffset WindowStart, DateTimeOffset WindowEnd, DateTimeOffset DefaultStart) Slot(Release release, TimeOnly defaultTime)
    {
        ArgumentNullException.ThrowIfNull(release);
        var day = release.ReleaseDate.AddDays(EarliestDaysAfterDeployment);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(1);
        }

        var last = release.ReleaseDate.AddDays(7);
        if (last < day)
        {
            last = day;
        }

        var zone = release.TimeZone;
        return (Release.ToInstant(day, new TimeOnly(9, 0), zone), Release.ToInstant(last, new TimeOnly(17, 0), zone), Release.ToInstant(day, defaultTime, zone));
    }
}

/// <summary>The retrospective's agenda, pre-filled from the release so the meeting starts from facts.</summary>
internal static class RetrospectiveAgenda
{
    /// <summary>Audit actions that start with this are rollback events (the rollback flow records e.g. "rollback.triggered").</summary>
    public const string RollbackActionPrefix = "rollback";

    public static string Html(ReleaseState state, IReadOnlyList<AuditEvent> audit, TimeSpan? deploymentDuration)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(audit);
        var release = state.Release;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h2>Retrospective: release {E(release.Version)}</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Released on {release.ReleaseDate.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)} ({E(release.TimeZoneId)}), deployment window {release.Window}.");
        if (!string.IsNullOrWhiteSpace(release.Scope))
        {
            html.Append(CultureInfo.InvariantCulture, $" Scope: {E(release.Scope)}.");
        }

        html.Append("</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p><b>Deployment duration:</b> {(deploymentDuration is { } d ? Span(d) : "not recorded")}</p>");

        var late = state.Items.Where(i => i.Status == ItemStatus.Done && i.LateBy is not null).ToList();
        Section(html, "Finished late", late.Select(i => $"{E(i.Text)} ({E(i.Owner.DisplayName())}) — late by {Span(i.LateBy!.Value)}"));

        var skipped = state.Items.Where(i => i.Status == ItemStatus.NotApplicable).ToList();
        Section(html, "Skipped (N/A)", skipped.Select(i => E(i.Text) + (i.Note is null ? "" : $" — {E(i.Note)}")));

        var blockers = audit.Where(a => a.Action == AuditActions.ItemBlocked).OrderBy(a => a.At).ToList();
        Section(html, "Blockers raised", blockers.Select(a =>
            $"{E(state.Item(a.ItemId ?? "")?.Text ?? a.ItemId ?? "an item")}: {E(a.Note ?? "no reason given")} ({E(a.Actor.Name)}, {release.LocalText(a.At)})"));

        var rollbacks = audit.Where(a => a.Action.StartsWith(RollbackActionPrefix, StringComparison.OrdinalIgnoreCase)).OrderBy(a => a.At).ToList();
        Section(html, "Rollback events", rollbacks.Select(a => $"{E(a.Action)} by {E(a.Actor.Name)} at {release.LocalText(a.At)}" + (a.Note is null ? "" : $": {E(a.Note)}")));

        html.Append("<h3>Discussion</h3><ol><li>What went well?</li><li>What did not?</li><li>Action items (owner, due date)</li></ol>");
        return html.ToString();
    }

    private static void Section(StringBuilder html, string title, IEnumerable<string> lines)
    {
        var list = lines.ToList();
        html.Append(CultureInfo.InvariantCulture, $"<h3>{E(title)}</h3>");
        if (list.Count == 0)
        {
            html.Append("<p>None.</p>");
            return;
        }

        html.Append("<ul>");
        foreach (var line in list)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li>{line}</li>");
        }

        html.Append("</ul>");
    }


    internal static string Span(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} d {span.Hours} h"),
        { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Round(span.TotalMinutes))} min"),
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
