namespace ReleaseTeamsApp.Releases;

/// <summary>A time span as the cards and messages show it: "2d 3h", "4h 10m", "25m" (at least one minute).</summary>
internal static class DurationText
{
    public static string Of(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } => $"{(int)span.TotalDays}d {span.Hours}h",
        { TotalHours: >= 1 } => $"{(int)span.TotalHours}h {span.Minutes}m",
        _ => $"{Math.Max(1, (int)span.TotalMinutes)}m",
    };
}
