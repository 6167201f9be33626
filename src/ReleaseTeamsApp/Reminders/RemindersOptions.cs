using System.ComponentModel.DataAnnotations;

namespace ReleaseTeamsApp.Reminders;

/// <summary>When reminders go out: how far ahead, when to escalate, and when not to disturb people (in each release's time zone).</summary>
public sealed class RemindersOptions : IValidatableObject
{
    public const string Section = "Reminders";

    /// <summary>Items due within this time from now are in a due-soon digest.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "14.00:00:00")]
    public TimeSpan DueSoon { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Items overdue longer than this are escalated to the Release Manager.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Overdue items older than this are no longer read by the sweep (the tab still shows them).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Instead of sending itself, the timer puts one work item per release with something due on the reminder-work
    /// queue, and the queue-triggered function sends them, scaled out by the Functions platform (many tenants).
    /// </summary>
    public bool FanOut { get; set; }

    public TimeOnly QuietHoursStart { get; set; } = new(20, 0);

    public TimeOnly QuietHoursEnd { get; set; } = new(8, 0);

    public bool QuietWeekends { get; set; } = true;

    /// <summary>A claimed marker whose send did not finish (crash) may be retaken after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (QuietHoursStart == QuietHoursEnd)
        {
            yield return new ValidationResult(
                $"Reminders:QuietHoursStart and Reminders:QuietHoursEnd are both {QuietHoursStart:HH\\:mm}; use different times (e.g. 20:00 and 08:00).",
                [nameof(QuietHoursStart), nameof(QuietHoursEnd)]);
        }
    }
}
