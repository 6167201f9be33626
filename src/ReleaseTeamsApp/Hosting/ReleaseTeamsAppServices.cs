using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Hosting;

/// <summary>The app's one DI setup, used by the Functions worker and the local host alike.</summary>
public static class ReleaseTeamsAppServices
{
    public static IServiceCollection AddReleaseTeamsApp(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReleaseTables>();
        services.AddSingleton<IReleaseStore, TableReleaseStore>();

        services.AddSingleton<ReminderSweep>();
        services.AddGraphOutbox(configuration);
        return services;
    }
}
