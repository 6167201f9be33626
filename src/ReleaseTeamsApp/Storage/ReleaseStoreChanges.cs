using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Storage;

internal static class ReleaseStoreChanges
{
    /// <summary>
    /// Decides <paramref name="decide"/> on fresh state and commits what it writes (see <see cref="IReleaseStore.UpdateAsync"/>).
    /// Returns the change and the release as it is after it (without a re-read).
    /// </summary>
    public static async Task<(ReleaseChange Change, ReleaseState State)> ChangeAsync(this IReleaseStore store, string releaseId, Func<ReleaseState, ReleaseChange> decide, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(decide);
        var done = await store.UpdateAsync(releaseId, state =>
        {
            var change = decide(state);
            return change.Returning(state.With(change));
        }, idempotencyKey, cancellationToken);
        return (done.Change, done.Result);
    }
}
