using System.Globalization;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Planning;

/// <summary><c>move release</c> through the real pipeline: the notice in the release thread is one short line per owner, the detail stays on the cards.</summary>
[Collection("Azurite")]
public sealed class MoveReleaseTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>A display name with the characters Teams would read as markup.</summary>
    private static readonly TestUser Ops = new("29:ops", "Dan <Ops> & Co", "aad-ops");

    private BotPipeline _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotPipeline.StartAsync(azurite, now: new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
        _bot.MemberProfiles[Ops.Id] = (Ops.Name, Ops.AadObjectId, "ops@contoso.example");
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task MoveRelease_SeveralOwnersAndUnstaffedRoles_PostsOneShortLinePerOwnerWithMatchingMentions()
    {
        var id = await _bot.CreateReleaseAsync("new release 2.4.0 on 2026-12-10 tz Europe/Berlin", ("qa", TestUser.Bob), ("pm", TestUser.Carol), ("eng", Ops), ("manual-qa", TestUser.Bob));
        _bot.ClearConnector();

        await _bot.SayAsync("move release 2.4.0 to 2026-12-15", TestUser.Alice);

        var state = (await _bot.Store.GetAsync(id, CancellationToken.None))!;
        var notice = _bot.ConnectorRequests.Select(r => JsonNode.Parse(r.Body)!).Single(b => ((string?)b["text"])?.Contains("moved to", StringComparison.Ordinal) == true);
        var text = notice["text"]!.GetValue<string>();
        var lines = text.Split("\n\n");
        var open = state.Items.Where(i => !i.IsSettled && i.DueAt is not null).ToList();
        Assert.Equal($"Release 2.4.0 moved to Tue 15 Dec 2026 by {TestUser.Alice.Name}: {open.Count} open items have new due times (Europe/Berlin).", lines[0]);

        // One line per person, whatever roles they hold, counting the open items of all of them and the soonest new due day.
        string Line(string who, params ReleaseRole[] roles)
        {
            var theirs = open.Where(i => roles.Contains(i.Owner)).ToList();
            var first = TimeZoneInfo.ConvertTime(theirs.Min(i => i.DueAt!.Value), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
            return $"{who}: {theirs.Count} item{(theirs.Count == 1 ? "" : "s")}, first due {first.ToString("ddd d MMM", CultureInfo.InvariantCulture)}";
        }

        // A role nobody holds is named as the cards name it, and the line says so.
        string Unstaffed(ReleaseRole role) => Line($"{role.DisplayName()} (unassigned)", role) + "; nobody holds this role yet";

        Assert.Contains(Line($"<at>{TestUser.Alice.Name}</at>", ReleaseRole.ReleaseManager), lines);
        Assert.Contains(Line($"<at>{TestUser.Bob.Name}</at>", ReleaseRole.QaAutomationEngineer, ReleaseRole.ManualQa), lines);
        Assert.Contains(Line($"<at>{TestUser.Carol.Name}</at>", ReleaseRole.ProductManager), lines);
        Assert.Contains(Line("<at>Dan &lt;Ops&gt; &amp; Co</at>", ReleaseRole.EngineeringLead), lines);
        var unstaffed = ReleaseRoles.All.Where(r => state.Release.Roles[r].Count == 0 && open.Any(i => i.Owner == r)).ToList();
        Assert.NotEmpty(unstaffed);
        Assert.All(unstaffed, role => Assert.Contains(Unstaffed(role), lines));
        Assert.Equal(1 + 4 + unstaffed.Count + 1, lines.Length);
        Assert.DoesNotContain(open, i => text.Contains(i.Text, StringComparison.Ordinal));
        Assert.DoesNotContain("<Ops>", text, StringComparison.Ordinal);

        // Teams renders an <at> only when an entity carries the same text and the person's id.
        var mentions = notice["entities"]!.AsArray().Where(e => (string?)e!["type"] == "mention").Select(e => ((string)e!["text"]!, (string)e["mentioned"]!["id"]!, (string)e["mentioned"]!["name"]!)).ToList();
        Assert.Equal(
            [($"<at>{TestUser.Alice.Name}</at>", TestUser.Alice.Id, TestUser.Alice.Name), ($"<at>{TestUser.Bob.Name}</at>", TestUser.Bob.Id, TestUser.Bob.Name),
             ($"<at>{TestUser.Carol.Name}</at>", TestUser.Carol.Id, TestUser.Carol.Name), ("<at>Dan &lt;Ops&gt; &amp; Co</at>", Ops.Id, Ops.Name)],
            mentions.OrderBy(m => m.Item2, StringComparer.Ordinal).ToList());
        Assert.Equal(mentions.Count, text.Split("<at>").Length - 1);
    }
}
