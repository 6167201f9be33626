using System.Text.Json.Nodes;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;
using static ReleaseTeamsApp.Tests.Testing.JuneRelease;

namespace ReleaseTeamsApp.Tests.Reminders;

/// <summary>One person's message of the day listing two releases of a channel: one news block, a dashboard link per release.</summary>
public sealed class DigestMessageTests
{
    [Fact]
    public void For_TwoReleasesWithSignalNews_OneSinceYourLastDigestBlockNamingEachRelease()
    {
        var digest = new ChannelDigest([Part("7.1.0", "Release notes drafted"), Part("7.2.0", "Breaking changes documented")]);

        var text = DigestMessage.For(digest, ThursdayNoon).Text!;

        Assert.Equal(2, text.Split("Since your last digest:").Length);
        Assert.Contains("\n- 7.1.0 · ✅ ticked by GitHub at Thu 11 Jun 09:00: Release notes drafted", text, StringComparison.Ordinal);
        Assert.Contains("\n- 7.2.0 · ✅ ticked by GitHub at Thu 11 Jun 09:00: Breaking changes documented", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Digest_TwoReleasesWithDashboards_OpenDashboardInEachReleaseGroup()
    {
        var digest = new ChannelDigest([Part("7.1.0", null), Part("7.2.0", null)]);

        var card = ReminderCards.Digest(digest, ThursdayNoon);

        var groups = card["body"]!.AsArray().OfType<JsonObject>().Where(b => b["type"]!.GetValue<string>() == "Container").ToList();
        Assert.Equal(2, groups.Count);
        for (var i = 0; i < 2; i++)
        {
            var open = groups[i]["items"]!.AsArray().OfType<JsonObject>().Single(e => e["type"]!.GetValue<string>() == "ActionSet")["actions"]![0]!;
            Assert.Equal(("Action.OpenUrl", "Open dashboard", Dashboard(digest.Parts[i].Release)), (open["type"]!.GetValue<string>(), open["title"]!.GetValue<string>(), open["url"]!.GetValue<string>()));
            Assert.Contains($"Release {digest.Parts[i].Release.Version}", groups[i].ToJsonString(), StringComparison.Ordinal);
        }

        AdaptiveCardSchema.AssertValid(card, "digest of two releases");
    }

    private static ReminderDigest Part(string version, string? ticked)
    {
        var planned = new ReleaseBuilder().WithVersion(version).On(2026, 6, 16).BuildPlanned();
        var release = planned.Release;
        if (ticked is not null)
        {
            release = release with { SignalNotes = [new SignalNote("planning-release-notes", ticked, ItemStatus.Done, ReleaseRole.EngineeringLead, "GitHub", null, ThursdayNoon.AddHours(-3), [])] };
        }

        return new ReminderDigest(release, ReminderKind.Reminder, People.Dave, [planned.Item("planning-prs-merged")]) { Dashboard = Dashboard(release) };
    }

    private static string Dashboard(Release release) => $"https://teams.microsoft.com/l/entity/app/latest?context={release.Id}";
}
