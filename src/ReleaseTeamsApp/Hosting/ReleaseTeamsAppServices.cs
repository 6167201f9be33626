using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.Bot;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.FollowUps;
using ReleaseTeamsApp.Housekeeping;
using ReleaseTeamsApp.Outbox;
using ReleaseTeamsApp.Planning;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

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
        services.AddSingleton<ReleaseQueues>();
        // Tables and queues are created once, before any other hosted service (timers, queue listeners) starts.
        services.AddSingleton<IStorageResources>(sp => sp.GetRequiredService<ReleaseTables>());
        services.AddSingleton<IStorageResources>(sp => sp.GetRequiredService<ReleaseQueues>());
        services.AddHostedService<StorageCreation>();
        services.AddSingleton<IReleaseStore, TableReleaseStore>();
        services.AddSingleton<Templates.TemplateLibrary>();

        services.AddBotProtocol(configuration);
        services.AddOptions<TeamsAppOptions>().BindConfiguration(TeamsAppOptions.Section);
        services.AddSingleton<ReleaseLinks>();
        services.AddSingleton<ReleaseCards>();
        services.AddSingleton<IThreadCards>(sp => sp.GetRequiredService<ReleaseCards>());
        services.AddSingleton<IReleaseDayThreadCards, ReleaseDay.ReleaseDayThreadCards>();
        services.AddSingleton<ChannelRegistry>();
        services.AddSingleton<TeamRoster>();
        services.AddSingleton<ReleaseThreadPublisher>();
        services.AddSingleton<CardActions>();
        services.AddSingleton<ItemBehaviours>();
        services.AddSingleton<IItemBehaviour, ReleaseDay.RollbackRestoreBehaviour>();
        services.AddSingleton<CardUpdates>();
        services.AddSingleton<ReleaseResolution>();
        services.AddSingleton<BotRouter>();
        services.AddHostedService<BotRouterStartup>();
        // Every command and card verb: one operation each, registered with services.AddSingleton<BotOperation, TOperation>().
        services.AddSingleton<BotOperation, HelpCommand>();
        services.AddSingleton<BotOperation, NewReleaseCommand>();
        services.AddSingleton<BotOperation, ReleasesCommand>();
        services.AddSingleton<BotOperation, TemplatesCommand>();
        services.AddSingleton<BotOperation, StatusCommand>();
        services.AddSingleton<BotOperation, MyItemsCommand>();
        services.AddSingleton<BotOperation, AssignCommand>();
        services.AddSingleton<BotOperation, MoveCommand>();
        services.AddSingleton<BotOperation, ChecklistVerbs>();
        services.AddSingleton<BotOperation, StartActions>();
        services.AddSingleton<BotOperation, AnnouncementCommands>();
        services.AddSingleton<BotOperation, StakeholderCommands>();
        services.AddSingleton<BotOperation, OutboxCommands>();
        services.AddSingleton<BotOperation, Reminders.ReminderMute>();
        services.AddSingleton<BotOperation, Reminders.DigestSnooze>();
        services.AddSingleton<ReleaseDay.ReleaseDayThread>();
        services.AddSingleton<Closing.ReleaseClosing>();
        services.AddSingleton<BotOperation, ReleaseDay.ReleaseDayFlow>();
        services.AddSingleton<BotOperation, Metrics.MetricsFlow>();
        services.AddSingleton<BotOperation, RoleStaffing>();
        services.AddSingleton<Metrics.MetricsReader>();
        services.AddSingleton<Tab.IReleaseDashboardSection, ReleaseDay.ReleaseDayDashboardSection>();
        services.AddSingleton<StartCards>();
        services.AddSingleton<ReleaseCreation>();
        services.AddSingleton<ReleaseBot>();
        services.AddSingleton<BotEndpoint>();
        services.AddHostedService<BotStartupNotice>();

        services.AddOptions<RemindersOptions>().BindConfiguration(RemindersOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DueItemsReader>();
        services.AddSingleton<SentMarkers>();
        services.AddSingleton<ReminderSweep>();
        services.AddSingleton<FollowUpSweep>();
        services.AddGraphOutbox(configuration);
        services.AddSingleton<ReleaseTeamsApp.Outbox.OutboxDispatcher>();
        services.AddSingleton<Housekeeping.ExpiredRows>();
        services.AddReleaseTab(configuration);
        Signals.SignalServices.AddSignals(services);
        return services;
    }
}
