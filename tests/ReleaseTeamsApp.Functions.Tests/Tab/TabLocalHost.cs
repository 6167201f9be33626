using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.LocalHost;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Functions.Tests.Tab;

/// <summary>The local host (the same function classes as in Azure) in-process on 127.0.0.1:0 against Azurite.</summary>
internal sealed class TabLocalHost : IAsyncDisposable
{
    private const string Never = "0 0 0 1 1 *";
    private readonly WebApplication _app;

    private TabLocalHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public IReleaseStore Store => _app.Services.GetRequiredService<IReleaseStore>();

    public Uri Url(string relative) => new(BaseAddress, relative);

    public static async Task<TabLocalHost> StartAsync(string connectionString, string tablePrefix, IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["LocalHost:Urls"] = "http://127.0.0.1:0",
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:TablePrefix"] = tablePrefix,
            ["MicrosoftAppId"] = "",
            ["Bot:AllowAnonymous"] = "true",
            ["Tab:AppIdUri"] = "",
            ["Tab:AllowDevelopmentBypass"] = "false",
            ["Reminders:Schedule"] = Never,
            ["FollowUps:Schedule"] = Never,
            ["Outbox:Schedule"] = Never,
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var app = LocalHostApplication.Build([], builder => builder.Configuration.AddInMemoryCollection(all));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TabLocalHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
