using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.Functions.Tests.Testing;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Templates;

/// <summary>POST/GET /api/templates through the local host, authorised like the tab API (here: the local development bypass).</summary>
[Collection(AzuriteTests.Name)]
public sealed class TemplateApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Tenant = "11111111-1111-4111-8111-111111111111";
    private const string Team = "19:team-a@thread.skype";
    private LocalHostServer _host = null!;

    public async Task InitializeAsync() => _host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?>
    {
        ["MicrosoftAppId"] = "",
        ["Tab:AppIdUri"] = "",
        ["Tab:AllowDevelopmentBypass"] = "true",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string json, string tenant = Tenant)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _host.Client.PostAsync(Url(tenant), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static string Url(string tenant) => $"/api/templates?teamId={Uri.EscapeDataString(Team)}" + (tenant.Length > 0 ? $"&tenantId={tenant}" : "");

    [Fact]
    public async Task Upload_ValidTemplate_Returns201WithIdVersionAndItemCount()
    {
        var (status, body) = await PostAsync(TeamTemplate.Json(4));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(TeamTemplate.Id, body!["id"]!.GetValue<string>());
        Assert.Equal(4, body["version"]!.GetValue<int>());
        Assert.Equal(2, body["items"]!.GetValue<int>());
    }

    [Fact]
    public async Task Upload_InvalidTemplate_Returns400WithEveryProblemAndItsLocation()
    {
        var broken = TeamTemplate.Json(1, id: "broken")
            .Replace("\"QA Automation Engineer\"", "\"Astronaut\"", StringComparison.Ordinal)
            .Replace("\"+30m\"", "\"-3d\"", StringComparison.Ordinal)
            .Replace("\"name\": \"Team checklist v1\",", "", StringComparison.Ordinal);

        var (status, body) = await PostAsync(broken);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var problems = body!["problems"]!.AsArray().Select(p => (Location: p!["location"]!.GetValue<string>(), Message: p["message"]!.GetValue<string>())).ToList();
        Assert.Equal(["name", "phases[0].sections[0].items[0].owner", "phases[1].sections[0].items[0].due"], problems.Select(p => p.Location).Order(StringComparer.Ordinal));
        Assert.Contains(problems, p => p.Message == "is missing");
        Assert.Contains(problems, p => p.Message.StartsWith("offset -3d is outside its phase", StringComparison.Ordinal));
        var list = JsonNode.Parse(await _host.Client.GetStringAsync(Url(Tenant)))!.AsArray();
        Assert.DoesNotContain(list, t => t!["id"]!.GetValue<string>() == "broken");
    }

    [Fact]
    public async Task Upload_SameVersionOtherContent_Returns409AndIdenticalReuploadReturns200()
    {
        await PostAsync(TeamTemplate.Json(7));

        var (conflict, problems) = await PostAsync(TeamTemplate.Json(7).Replace("Deploy to production", "Deploy everywhere", StringComparison.Ordinal));
        var (again, same) = await PostAsync(TeamTemplate.Json(7));

        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Equal($"version 7 of {TeamTemplate.Id} already exists: bump the version", problems!["problems"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.True(same!["unchanged"]!.GetValue<bool>());
    }

    [Fact]
    public async Task List_AfterUpload_ShowsBuiltInAndTheTeamsVersionsOnlyToItsTenant()
    {
        await PostAsync(TeamTemplate.Json(2, id: "listed-checklist"));

        var own = JsonNode.Parse(await _host.Client.GetStringAsync(Url(Tenant)))!.AsArray();
        var other = JsonNode.Parse(await _host.Client.GetStringAsync(Url("22222222-2222-4222-8222-222222222222")))!.AsArray();

        Assert.Contains(own, t => t!["id"]!.GetValue<string>() == "listed-checklist" && t["version"]!.GetValue<int>() == 2 && t["uploadedBy"]!.GetValue<string>() == "Development user");
        Assert.Contains(own, t => t!["builtIn"]!.GetValue<bool>());
        Assert.DoesNotContain(other, t => t!["id"]!.GetValue<string>() == "listed-checklist");
    }

    [Fact]
    public async Task Upload_WithoutCaller_Returns401AndStoresNothing()
    {
        var (status, body) = await PostAsync(TeamTemplate.Json(1, id: "anonymous-upload"), tenant: "");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Null(body);
        var list = JsonNode.Parse(await _host.Client.GetStringAsync(Url(Tenant)))!.AsArray();
        Assert.DoesNotContain(list, t => t!["id"]!.GetValue<string>() == "anonymous-upload");
    }
}
