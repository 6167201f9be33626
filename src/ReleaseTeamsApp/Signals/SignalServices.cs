using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Planning;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Signals;

internal static class SignalServices
{
    /// <summary>Items that tick themselves: links, receivers, the inbox and its evaluator, the GitHub and Azure DevOps APIs and the deployment gate.</summary>
    public static IServiceCollection AddSignals(this IServiceCollection services)
    {
        services.AddHttpClient();
        services.AddOptions<GitHubOptions>().BindConfiguration(GitHubOptions.Section);
        services.AddSingleton<SignalTables>();
        services.AddSingleton<Storage.IStorageResources>(sp => sp.GetRequiredService<SignalTables>());
        services.AddSingleton<SignalLinks>();
        services.AddOptions<SignalInboxOptions>().BindConfiguration(SignalInboxOptions.Section)
            .Validate(o => o.ReplayWindow > TimeSpan.Zero, "Signals__ReplayWindow must be a positive time span such as 30.00:00:00 (30 days).").ValidateOnStart();
        services.AddSingleton<SignalInbox>();
        services.AddSingleton<HookTraffic>();
        services.AddHostedService<GitHubEventReadiness>();
        services.AddSingleton<GitHubApi>();
        services.AddSingleton<SignalObserver>();
        services.AddSingleton<SignalEvaluator>();
        services.AddSingleton<SignalReconciler>();
        services.AddSingleton<GitHubWebhookReceiver>();
        services.AddOptions<AzureMonitorOptions>().BindConfiguration(AzureMonitorOptions.Section);
        services.AddSingleton<AzureMonitorReceiver>();
        services.AddOptions<AzureDevOpsOptions>().BindConfiguration(AzureDevOpsOptions.Section);
        services.AddSingleton<AzureDevOpsApi>();
        services.AddSingleton<AzureDevOpsRuns>();
        services.AddSingleton<AzureDevOpsWebhookReceiver>();
        services.AddSingleton<ISignalFollowUp, RollbackOffer>();
        services.AddSingleton<DeploymentGate>();
        services.AddSingleton<ISignalFollowUp>(sp => sp.GetRequiredService<DeploymentGate>());
        services.AddSingleton<BotOperation, SignalCommands>();
        services.AddSingleton<IReleaseCreatedFollowUp, TemplateWatchedResources>();
        return services;
    }
}
