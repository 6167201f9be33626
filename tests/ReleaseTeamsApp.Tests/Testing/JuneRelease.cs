namespace ReleaseTeamsApp.Tests.Testing;

/// <summary>
/// The reminder tests' calendar: the release is on Tue 16 Jun 2026, 10:00 Europe/Berlin (UTC+2), and the clock starts on
/// Thursday 11 Jun at 12:00, when the -14d and -12d items are overdue by days, the -5d items by two hours and the -4d
/// items are due tomorrow.
/// </summary>
internal static class JuneRelease
{
    public static readonly DateTimeOffset ThursdayNoon = new(2026, 6, 11, 12, 0, 0, TimeSpan.FromHours(2));
}
