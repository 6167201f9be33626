namespace ReleaseTeamsApp.Signals;

/// <summary>How long the inbox remembers a delivery (settings Signals__…).</summary>
public sealed class SignalInboxOptions
{
    public const string Section = "Signals";

    /// <summary>
    /// An evaluated delivery's marker is kept this long, so a replay within it is refused; GitHub and Azure DevOps redeliver
    /// only recent deliveries (GitHub: the past 3 days), so 30 days leaves a wide margin.
    /// </summary>
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromDays(30);
}
