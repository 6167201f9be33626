namespace ReleaseTeamsApp.BotProtocol;

/// <summary>
/// The clock inbound tokens are validated against: real time, registered under its own key so that a host which
/// replaces the app's <see cref="TimeProvider"/> (the local host's simulated clock) never stretches a token's lifetime.
/// </summary>
public static class TokenClock
{
    public const string ServiceKey = "ReleaseTeamsApp.TokenLifetime";
}
