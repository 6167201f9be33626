using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>
/// The release-day decisions as pure functions of stored state, one file per operation: go/no-go (GoNoGoSteps.cs),
/// deployment (DeploymentSteps.cs) and rollback (RollbackSteps.cs); closing is Closing/ReleaseClose. Each returns one
/// <see cref="ReleaseChange"/> and re-runs on fresh state when a concurrent write wins.
/// </summary>
internal static partial class ReleaseDaySteps
{
    public static bool IsManager(Release release, Person person) => release.Roles.Holds(person, ReleaseRole.ReleaseManager);

    /// <summary>Who to ask: the release's Release Managers, or "unassigned".</summary>
    public static string Managers(Release release) => release.Roles.HolderNames(ReleaseRole.ReleaseManager);

    public static string VoteText(GoNoGoVote vote) => vote == GoNoGoVote.Go ? "go" : "no-go";

    public static string Duration(TimeSpan? span) => span is { } s ? DurationText.Of(s) : "unknown";

    private static ReleaseChange? Closed(Release release) =>
        release.Status == ReleaseStatus.Closed ? ReleaseChange.Refused($"Release {release.Version} is closed, so its release day can no longer change; its report is on the closing card in the release thread.") : null;

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
