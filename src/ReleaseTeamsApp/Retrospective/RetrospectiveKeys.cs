using System.Globalization;

namespace ReleaseTeamsApp.Retrospective;

/// <summary>Outbox keys of a release's retrospective: one meeting per release, one agenda update per request that changed it.</summary>
internal static class RetrospectiveKeys
{
    public static string Event(string releaseId) => $"retro|{releaseId}";

    public static string Agenda(string releaseId, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"retro-agenda|{releaseId}|{at.UtcTicks:D19}");
}
