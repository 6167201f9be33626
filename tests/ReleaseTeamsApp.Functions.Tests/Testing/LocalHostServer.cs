using System.Net.Http.Json;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.LocalHost;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Testing;

/// <summary>
/// The local host (the same function classes the Functions app deploys) running in-process on a free port
/// against Azurite with a table prefix of its own. Extra settings (e.g. a fake connector URL) go in
/// <c>settings</c>; anything else in <c>configure</c>.
/// </summary>
public sealed class LocalHostServer : IAsyncDisposable
{
    /// <summary>Daily at midnight, for every timer: timers only run when a test asks (admin endpoint or clock).</summary>
    public const string QuietSchedule = "0 0 0 * * *";

    private LocalHostServer(WebApplication app, Uri baseAddress, CapturedLogs logs, string tablePrefix)
    {
        App = app;
        BaseAddress = baseAddress;
        Logs = logs;
        TablePrefix = tablePrefix;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public CapturedLogs Logs { get; }

    public string TablePrefix { get; }

    public IServiceProvider Services => App.Services;

    public SimulatedClock Clock => App.Services.GetRequiredService<SimulatedClock>();

    public static async Task<LocalHostServer> StartAsync(
        AzuriteFixture azurite,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var logs = new CapturedLogs();
        var prefix = azurite.NewTablePrefix();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["LocalHost:Urls"] = "http://127.0.0.1:0",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            // Tests run in the Production environment; without MicrosoftAppId the bot is anonymous only when told so.
            ["Bot:AllowAnonymous"] = "true",
        };
        foreach (var setting in TimerScheduleSettings())
        {
            values[setting] = QuietSchedule;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var app = LocalHostApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(logs);
            configure?.Invoke(builder);
        });

        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new LocalHostServer(app, new Uri(address), logs, prefix);
    }

    /// <summary>The app settings named by the timer functions' schedules ("%Reminders:Schedule%"), so every timer has one without local.settings.json.</summary>
    public static IReadOnlyList<string> TimerScheduleSettings() =>
        typeof(Health).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()?.Schedule)
            .OfType<string>()
            .Where(s => s.Length > 2 && s.StartsWith('%') && s.EndsWith('%'))
            .Select(s => s[1..^1])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) => Client.PostAsJsonAsync(path, body);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Logs.Dispose();
    }
}
