namespace ReleaseTeamsApp.Benchmarks.Infrastructure;

/// <summary>The local host's settings for a benchmark run: anonymous bot, Azurite under its own prefix, timers that never fire, Graph recorded.</summary>
internal static class LocalHostSettings
{
    public static Dictionary<string, string?> For(string tablePrefix) => new()
    {
        ["LocalHost:Urls"] = "http://127.0.0.1:0",
        ["Storage:ConnectionString"] = Azurite.ConnectionString,
        ["Storage:TablePrefix"] = tablePrefix,
        ["MicrosoftAppId"] = "",
        ["Bot:AllowAnonymous"] = "true",
        ["Reminders:Schedule"] = "0 0 0 1 1 *",
        ["FollowUps:Schedule"] = "0 0 0 1 1 *",
        ["Outbox:Schedule"] = "0 0 0 1 1 *",
        ["Graph:Mode"] = "Recording",
    };
}
