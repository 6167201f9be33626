using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Hosting;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Tests.Teams;

/// <summary>The router as the app builds it (its real DI setup), optionally with more services registered after the app's.</summary>
internal static class AppRouter
{
    public static BotRouter Build(Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true", ["Bot:AllowAnonymous"] = "true" })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddReleaseTeamsApp(configuration);
        more?.Invoke(services);
        return services.BuildServiceProvider().GetRequiredService<BotRouter>();
    }
}
