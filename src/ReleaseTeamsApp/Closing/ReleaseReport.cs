using System.Globalization;
using System.Text;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Closing;

/// <summary>
/// The release's closing report, built from stored state and its audit trail: Markdown for people (the thread, the
/// archive) and CSV for spreadsheets (one line per item, then one per audit event). Pure: same input, same bytes.
/// </summary>
internal static class ReleaseReport
{
    public const string CsvHeader = "record,at,item_id,phase,section,text,owner,required,status,due_at,completed_at,late_minutes,actor,action,before,after,note";

    public static string Markdown(ReleaseState state, IReadOnlyList<AuditEvent> audit)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(audit);
        var release = state.Release;
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Release {Md(release.Version)} — report\n\n");
        md.Append("| | |\n|---|---|\n");
        md.Append(CultureInfo.InvariantCulture, $"| Date | {release.ReleaseDate:yyyy-MM-dd}, window {release.Window} ({release.TimeZoneId}) |\n");
        md.Append(CultureInfo.InvariantCulture, $"| Status | {release.Status} |\n");
        if (!string.IsNullOrWhiteSpace(release.Scope))
        {
            md.Append(CultureInfo.InvariantCulture, $"| Scope | {Md(release.Scope)} |\n");
        }

        md.Append(CultureInfo.InvariantCulture, $"| Template | {Md(release.TemplateId)} v{release.TemplateVersion} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| Created | {Time(release, release.CreatedAt)} by {Md(release.CreatedBy.Name)} |\n");
        if (release.ClosedAt is { } closed)
        {
            md.Append(CultureInfo.InvariantCulture, $"| Closed | {Time(release, closed)} |\n");
        }

        if (release.ForcedCloseReason is { } forced)
        {
            md.Append(CultureInfo.InvariantCulture, $"| Closed with open items | {Md(forced)} |\n");
        }

        var settled = state.Items.Count(i => i.IsSettled);
        md.Append(CultureInfo.InvariantCulture, $"| Items | {settled} of {state.Items.Count} settled |\n");
        md.Append(CultureInfo.InvariantCulture, $"| Roles | {Md(string.Join("; ", ReleaseRoles.All.Where(r => release.Roles[r].Count > 0).Select(r => $"{r.DisplayName()}: {string.Join(", ", release.Roles[r].Select(p => p.Name))}")))} |\n");

        md.Append("\n## Go/no-go\n\n");
        if (release.GoNoGo?.Decision is { } decision)
        {
            md.Append(CultureInfo.InvariantCulture, $"- Decision: **{(decision.Outcome == GoNoGoVote.Go ? "GO" : "NO-GO")}** by {Md(decision.DecidedBy.Name)} at {Time(release, decision.At)}, readiness {decision.Score}/100\n");
            if (decision.OverrideReason is { } reason)
            {
                md.Append(CultureInfo.InvariantCulture, $"- Override: {Md(reason)}\n");
            }
        }
        else
        {
            md.Append("- No decision recorded\n");
        }

        foreach (var vote in release.GoNoGo?.SignOffs ?? [])
        {
            md.Append(CultureInfo.InvariantCulture, $"- {vote.Role.DisplayName()} {Md(vote.Voter.Name)}: {(vote.Vote == GoNoGoVote.Go ? "go" : "no-go")}{(vote.Comment is null ? "" : " — " + Md(vote.Comment))}\n");
        }

        md.Append("\n## Deployment\n\n");
        if (release.Deployment is { } deployment)
        {
            md.Append(CultureInfo.InvariantCulture, $"- Started {Time(release, deployment.StartedAt)} by {Md(deployment.StartedBy.Name)}\n");
            md.Append(deployment.FinishedAt is { } finished
                ? string.Create(CultureInfo.InvariantCulture, $"- Finished {Time(release, finished)}, duration {Minutes(deployment.Duration)}\n")
                : "- Not finished\n");
            if (deployment.OverrideReason is { } reason)
            {
                md.Append(CultureInfo.InvariantCulture, $"- Started without a GO: {Md(reason)}\n");
            }
        }
        else
        {
            md.Append("- Not deployed\n");
        }

        md.Append("\n## Rollbacks\n\n");
        if (release.Rollbacks.Count == 0)
        {
            md.Append("- None\n");
        }

        foreach (var rollback in release.Rollbacks)
        {
            md.Append(CultureInfo.InvariantCulture, $"- Raised {Time(release, rollback.RaisedAt)} by {Md(rollback.RaisedBy.Name)}: {Md(rollback.Reason)}");
            md.Append(rollback.ApprovedAt is { } approved ? string.Create(CultureInfo.InvariantCulture, $"; approved {Time(release, approved)}") : "; not approved");
            md.Append(rollback.RestoredAt is { } restored ? string.Create(CultureInfo.InvariantCulture, $"; restored {Time(release, restored)} (time to restore {Minutes(rollback.TimeToRestore)})\n") : "; not restored\n");
        }

        md.Append("\n## Checklist\n");
        var phaseTitles = ReleaseCards.PhasesOf(state).ToDictionary(p => p.Id, p => p.Title, StringComparer.Ordinal);
        foreach (var phase in state.Items.GroupBy(i => i.PhaseId))
        {
            md.Append(CultureInfo.InvariantCulture, $"\n### {Md(phaseTitles.GetValueOrDefault(phase.Key) ?? phase.Key)}\n\n");
            md.Append("| Item | Owner | Status | Due | Settled | Late by | Note |\n|---|---|---|---|---|---|---|\n");
            foreach (var item in phase.OrderBy(i => i.Order))
            {
                md.Append(CultureInfo.InvariantCulture,
                    $"| {Md(item.Text)}{(item.Required ? "" : " (optional)")} | {item.Owner.DisplayName()} | {item.Status.Label()} | {(item.DueAt is { } due ? Time(release, due) : "not triggered")} | {(item.CompletedAt is { } at ? Time(release, at) : "")} | {(item.LateBy is { } late ? Minutes(late) : "")} | {Md(item.Note ?? "")} |\n");
            }
        }

        md.Append("\n## Audit trail\n\n| When | Who | What | Item | Change | Note |\n|---|---|---|---|---|---|\n");
        foreach (var entry in audit.OrderBy(a => a.At))
        {
            var change = entry.Before is null && entry.After is null ? "" : $"{entry.Before} → {entry.After}";
            md.Append(CultureInfo.InvariantCulture, $"| {Time(release, entry.At)} | {Md(entry.Actor.Name)} | {entry.Action} | {Md(entry.ItemId ?? "")} | {Md(change)} | {Md(entry.Note ?? "")} |\n");
        }

        return md.ToString();
    }

    /// <summary>One header line, one "item" line per checklist item (in checklist order), then one "audit" line per audit event (oldest first).</summary>
    public static string Csv(ReleaseState state, IReadOnlyList<AuditEvent> audit)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(audit);
        var csv = new StringBuilder(CsvHeader).Append("\r\n");
        foreach (var item in state.Items.OrderBy(i => i.Order))
        {
            Line(csv, "item", Iso(item.ChangedAt), item.Id, item.PhaseId, item.SectionId, item.Text, item.Owner.DisplayName(), item.Required ? "yes" : "no", item.Status.Label(),
                Iso(item.DueAt), Iso(item.CompletedAt), item.LateBy is { } late ? ((int)Math.Round(late.TotalMinutes)).ToString(CultureInfo.InvariantCulture) : "", item.ChangedBy?.Name, "", "", "", item.Note);
        }

        foreach (var entry in audit.OrderBy(a => a.At))
        {
            Line(csv, "audit", Iso(entry.At), entry.ItemId, "", "", "", "", "", "", "", "", "", entry.Actor.Name, entry.Action, entry.Before, entry.After, entry.Note);
        }

        return csv.ToString();
    }

    private static void Line(StringBuilder csv, params string?[] values)
    {
        csv.AppendJoin(',', values.Select(Field)).Append("\r\n");
    }

    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        // A cell starting with = + - @ would run as a formula when the export is opened in a spreadsheet.
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string Iso(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "";

    private static string Time(Release release, DateTimeOffset at) => release.ToLocal(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Minutes(TimeSpan? span) => span is { } s ? string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Round(s.TotalMinutes)} min") : "";

    /// <summary>Keeps user text from breaking a Markdown table row.</summary>
    private static string Md(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
