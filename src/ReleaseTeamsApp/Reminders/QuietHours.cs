using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Reminders;

/// <summary>Whether people of a release may be nudged now: not at night, not at weekends, in the release's own time zone.</summary>
internal static class QuietHours
{
    public static bool IsQuiet(Release release, DateTimeOffset now, RemindersOptions options)
    {
        ArgumentNullException.ThrowIfNull(release);
        return IsQuiet(release.TimeZone, now, options);
    }

    /// <summary>The same, from the time zone alone (as the due index records it), so a sweep at night reads no release.</summary>
    public static bool IsQuiet(TimeZoneInfo zone, DateTimeOffset now, RemindersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        if (options.QuietWeekends && local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            return true;
        }

        var time = TimeOnly.FromDateTime(local.DateTime);
        return options.QuietHoursStart > options.QuietHoursEnd
            ? time >= options.QuietHoursStart || time < options.QuietHoursEnd
            : time >= options.QuietHoursStart && time < options.QuietHoursEnd;
    }
}
