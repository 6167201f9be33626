using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Tab;

// In Hosting's namespace so the app's one DI setup calls it without another using.
namespace ReleaseTeamsApp.Hosting;

internal static class TabServiceCollectionExtensions
{
    /// <summary>The release tab: static files, SSO validation and the tenant-scoped release queries.</summary>
    public static IServiceCollection AddReleaseTab(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<IValidateOptions<TabOptions>>(new TabOptionsValidation(configuration));
        services.AddOptions<TabOptions>().BindConfiguration(TabOptions.Section).ValidateOnStart();
        services.AddHttpClient(TabAuthenticator.HttpClientName);
        services.AddSingleton<TabAuthenticator>();
        services.AddSingleton<TabFiles>();
        services.AddSingleton<TabReleases>();
        services.AddSingleton<TeamMembership>();
        services.AddHostedService<TabStartupNotice>();
        return services;
    }
}

/// <summary>Says loudly at startup when the tab runs without SSO, so nobody ships the bypass by accident.</summary>
internal sealed class TabStartupNotice(IOptions<TabOptions> options, ILogger<TabStartupNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.AllowDevelopmentBypass)
        {
            TabLog.DevelopmentBypassEnabled(logger);
        }
        else if (options.Value.Audiences().Count == 0)
        {
            TabLog.SsoNotConfigured(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
