using System.Globalization;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;

namespace ReleaseTeamsApp.FollowUps;

/// <summary>The text and facts of each follow-up prompt (kind followup-24h, -48h, -handoff, -metrics).</summary>
internal static class FollowUpPrompts
{
    public static FollowUpPrompt Of(Release release, string kind, ChecklistItem item)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(item);
        var deployment = release.Deployment;
        var finished = deployment?.FinishedAt is { } f ? release.LocalTextWithZone(f) : "—";
        var facts = new List<CardFact> { new("Deployed", finished) };
        return kind switch
        {
            "followup-24h" or "followup-48h" => new FollowUpPrompt(
                $"Release {release.Version}: {(kind == "followup-24h" ? "24" : "48")} hours after deployment",
                $"Engineering Lead / on-call: please confirm there are no critical errors in the logs since the deployment of {release.Version}, or raise an issue.",
                facts, item, "No critical errors", CanRaiseIssue: true),
            "followup-handoff" => new FollowUpPrompt(
                $"Release {release.Version}: hand off to support",
                $"Support Lead: hand release {release.Version} over to support (known issues, escalation paths) and tick it off here.",
                [.. facts, new CardFact("Due", ReleaseCards.DueText(release, item, DateTimeOffset.MinValue))], item, "Handed off", CanRaiseIssue: true),
            _ => new FollowUpPrompt(
                $"Release {release.Version}: capture the deployment metrics",
                $"Release Manager: record the deployment metrics of {release.Version} (duration, issues, rollback events) and tick it off here.",
                [.. facts,
                    new CardFact("Duration", deployment?.Duration is { } d ? DurationText.Of(d) : "not recorded"),
                    new CardFact("Rollbacks", release.Rollbacks.Count.ToString(CultureInfo.InvariantCulture))],
                item, "Metrics captured", CanRaiseIssue: false),
        };
    }
}
