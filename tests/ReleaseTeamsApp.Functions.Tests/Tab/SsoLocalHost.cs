using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;
using ReleaseTeamsApp.Bot;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Teams;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Tab;

/// <summary>
/// The local host with Teams SSO on (audience api://…/botid-{client id}) against a fake Entra, over Azurite, and a
/// fake Teams connector that answers team roster lookups (GET /v3/conversations/{team}/members/{object id}):
/// what every test of an SSO-protected API (tab, metrics, templates) starts from.
/// </summary>
internal sealed class SsoLocalHost : IAsyncDisposable
{
    public const string ClientId = "8a1f5a9e-7c2b-4d7e-9a43-5b1c2d3e4f60";
    public const string AppIdUri = "api://tab.octoacme.test/botid-" + ClientId;

    private readonly AzuriteFixture _azurite;

    private SsoLocalHost(AzuriteFixture azurite, FakeEntraIdentity entra, FakeHttpServer connector, TabLocalHost host)
    {
        _azurite = azurite;
        Entra = entra;
        Connector = connector;
        Host = host;
        connector.Handler = AnswerRosterAsync;
    }

    public FakeEntraIdentity Entra { get; }

    public TabLocalHost Host { get; }

    /// <summary>The Teams connector the app asks about team rosters; its requests are recorded.</summary>
    public FakeHttpServer Connector { get; }

    /// <summary>Team id → Entra object ids in its roster. <see cref="FakeEntraIdentity.MemberOid"/> is in every team unless <see cref="Strict"/>.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> Rosters { get; } = new();

    /// <summary>When true only <see cref="Rosters"/> counts (the default member is in no team).</summary>
    public bool Strict { get; set; }

    /// <summary>When true the connector answers 503 to every roster lookup (Teams unreachable).</summary>
    public bool RosterDown { get; set; }

    public int RosterLookups => Connector.Requests.Count(r => r.Method == "GET" && r.RawTarget.Contains("/members/", StringComparison.Ordinal));

    public static async Task<SsoLocalHost> StartAsync()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        var entra = await FakeEntraIdentity.StartAsync();
        var connector = await FakeHttpServer.StartAsync();
        var host = await TabLocalHost.StartAsync(azurite.ConnectionString, azurite.NewTablePrefix(), new Dictionary<string, string?>
        {
            ["Tab:AppIdUri"] = AppIdUri,
            ["Tab:OpenIdMetadataUrl"] = entra.MetadataUrl.ToString(),
        });
        return new SsoLocalHost(azurite, entra, connector, host);
    }

    /// <summary>What the bot's installation in a team records (its conversation reference), so the roster can be asked.</summary>
    public Task InstallAsync(ChannelKey channel, string? installedByAadObjectId = null) =>
        Host.Services.GetRequiredService<ChannelRegistry>().RememberAsync(
            channel with { ChannelId = channel.TeamId }, Connector.BaseAddress.ToString(), channel.TeamId, "Team", "28:release-bot", "ReleaseBot", installedByAadObjectId, DateTimeOffset.UtcNow, CancellationToken.None);

    public void AddMember(string teamId, string aadObjectId) => Rosters.GetOrAdd(teamId, _ => new()).TryAdd(aadObjectId, true);

    public void RemoveMember(string teamId, string aadObjectId) => Rosters.GetOrAdd(teamId, _ => new()).TryRemove(aadObjectId, out _);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Connector.DisposeAsync();
        await Entra.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private Task AnswerRosterAsync(Microsoft.AspNetCore.Http.HttpContext context, RecordedRequest request)
    {
        // /v3/conversations/{team}/members/{member}
        var parts = request.RawTarget.Split('?')[0].Split('/');
        var members = Array.IndexOf(parts, "members");
        if (request.Method != "GET" || members < 1 || members + 1 >= parts.Length)
        {
            return FakeHttpServer.WriteJsonAsync(context, 404, """{"error":{"code":"NotFound","message":"not a roster request"}}""");
        }

        if (RosterDown)
        {
            return FakeHttpServer.WriteJsonAsync(context, 503, """{"error":{"code":"ServiceUnavailable","message":"try later"}}""");
        }

        var team = Uri.UnescapeDataString(parts[members - 1]);
        var member = Uri.UnescapeDataString(parts[members + 1]);
        var inRoster = (!Strict && member == FakeEntraIdentity.MemberOid) || (Rosters.TryGetValue(team, out var roster) && roster.ContainsKey(member));
        return inRoster
            ? FakeHttpServer.WriteJsonAsync(context, 200, JsonSerializer.Serialize(new { id = "29:" + member, name = "Member", aadObjectId = member, userRole = "user" }))
            : FakeHttpServer.WriteJsonAsync(context, 404, """{"error":{"code":"MemberNotFoundInConversation","message":"The member is not part of the conversation."}}""");
    }
}
