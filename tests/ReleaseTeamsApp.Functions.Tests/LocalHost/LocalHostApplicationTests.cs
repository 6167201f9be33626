using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ReleaseTeamsApp.Functions.Tests.Testing;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.LocalHost;

[Collection(AzuriteTests.Name)]
public sealed class LocalHostApplicationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string SweepLog = "Reminder sweep at";

    private LocalHostServer _host = null!;

    public async Task InitializeAsync() => _host = await LocalHostServer.StartAsync(azurite);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Health_Get_ReturnsOkWithStorageReachable()
    {
        var path = "/api/health";

        using var response = await _host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("reachable", body.RootElement.GetProperty("storage").GetString());
    }

    [Fact]
    public async Task Health_Get_CreatesTheAppsTablesUnderTheTablePrefix()
    {
        using var response = await _host.Client.GetAsync("/api/health");

        var tables = azurite.CreateTables(_host.TablePrefix);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_host.TablePrefix + "Releases", tables.Releases.Name);
        var existing = new List<string>();
        await foreach (var table in tables.Service.QueryAsync(filter: $"TableName ge '{_host.TablePrefix}' and TableName lt '{_host.TablePrefix}~'"))
        {
            existing.Add(table.Name);
        }

        Assert.Contains(_host.TablePrefix + "Releases", existing);
        Assert.Contains(_host.TablePrefix + "DueIndex", existing);
    }

    [Fact]
    public async Task Health_Post_IsNotRouted()
    {
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");

        using var response = await _host.Client.PostAsync("/api/health", content);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task AdminFunctions_PostReminders_Returns202AfterTheSweepRan()
    {
        var before = _host.Logs.Containing(SweepLog).Count;

        using var content = new StringContent("", Encoding.UTF8, "application/json");
        using var response = await _host.Client.PostAsync("/admin/functions/Reminders", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(before + 1, _host.Logs.Containing(SweepLog).Count);
    }

    [Fact]
    public async Task AdminFunctions_UnknownFunction_Returns404NamingIt()
    {
        using var content = new StringContent("", Encoding.UTF8, "application/json");

        using var response = await _host.Client.PostAsync("/admin/functions/Nope", content);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No timer function named 'Nope'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminClock_AdvanceOneDay_MovesTheAppsTimeAndRunsTheTimers()
    {
        var time = (TimeProvider)_host.Services.GetService(typeof(TimeProvider))!;
        var before = time.GetUtcNow();
        var sweeps = _host.Logs.Containing(SweepLog).Count;

        using var response = await _host.PostJsonAsync("/admin/clock", new { advance = "1.00:00:00" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var now = time.GetUtcNow();
        Assert.InRange(now - before, TimeSpan.FromDays(1), TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.InRange(body.GetProperty("now").GetDateTimeOffset(), before.AddDays(1), now);
        var sweep = Assert.Single(_host.Logs.Containing(SweepLog).Skip(sweeps));
        Assert.InRange(Assert.IsType<DateTimeOffset>(sweep.Properties["Now"]), before.AddDays(1), now);
    }

    [Fact]
    public async Task AdminClock_Set_MovesTheClockToThatInstant()
    {
        var at = DateTimeOffset.UtcNow.AddDays(14).Date;

        using var response = await _host.PostJsonAsync("/admin/clock", new { set = at.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(_host.Clock.GetUtcNow(), new DateTimeOffset(at, TimeSpan.Zero), new DateTimeOffset(at, TimeSpan.Zero).AddMinutes(1));
    }

    [Theory]
    [InlineData("{\"advance\": \"tomorrow\"}")]
    [InlineData("{\"advance\": \"-1.00:00:00\"}")]
    [InlineData("{}")]
    [InlineData("not json")]
    public async Task AdminClock_BadBody_Returns400WithHowToUseIt(string json)
    {
        var before = _host.Clock.Offset;
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _host.Client.PostAsync("/admin/clock", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("advance", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, _host.Clock.Offset);
    }
}
