using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Hosting;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Testing;

/// <summary>A person's item change through the store, decided as the card action decides it (<see cref="ItemDecision"/>, with the app's item behaviours).</summary>
public static class ReleaseStoreItemChanges
{
    /// <summary>The item behaviours the app registers (e.g. rollback.restore).</summary>
    public static ItemBehaviours Behaviours { get; } = AppBehaviours();

    public static async Task<ItemChangeOutcome> ApplyAsync(this IReleaseStore store, string releaseId, ItemChange change, Func<DateTimeOffset> now, string? idempotencyKey = null) =>
        (await store.UpdateAsync(
            releaseId,
            state =>
            {
                var decided = ItemDecision.Decide(state, change, now(), Behaviours) ?? throw new InvalidOperationException($"Release {state.Release.Id} has no item {change.ItemId}.");
                return decided.Change.Returning(decided.Outcome);
            },
            idempotencyKey,
            CancellationToken.None)).Result;

    private static ItemBehaviours AppBehaviours()
    {
        using var services = new ServiceCollection().AddReleaseTeamsApp(new ConfigurationBuilder().Build()).BuildServiceProvider();
        return services.GetRequiredService<ItemBehaviours>();
    }
}
