using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Outbox;
using ReleaseTeamsApp.Retrospective;

// In Hosting's namespace so the app's one DI setup calls it without another using.
namespace ReleaseTeamsApp.Hosting;

internal static class GraphOutboxServices
{
    /// <summary>Graph options (validated on start), the outbox and its worker, the gateway for Graph:Mode, and the product operations.</summary>
    public static IServiceCollection AddGraphOutbox(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // TryAdd: a host that brings its own gateway (a test pointing the real SDK at a local Graph) keeps it.
        services.TryAddSingleton<IGraphGateway>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<GraphOptions>>().Value;
            var time = provider.GetRequiredService<TimeProvider>();
            return options.Mode == GraphMode.Live
                ? new GraphGateway(GraphGateway.CreateClient(options, GraphGateway.CreateAuthentication(configuration["AZURE_CLIENT_ID"])), time)
                : new RecordingGraphGateway(options, time);
        });
        services.AddSingleton<GraphOutbox>();
        services.AddSingleton<OutboxWorker>();
        services.AddSingleton<OutboxReport>();
        services.AddSingleton<RetrospectiveBooking>();
        services.AddSingleton<StakeholderAnnouncements>();
        services.AddSingleton<AnnouncementQuota>();
        services.AddSingleton<PeopleDirectory>();
        return services;
    }
}
