namespace ReleaseTeamsApp.BotProtocol;

/// <summary>Retry policy of the connector client (configuration section <c>Bot:Connector</c>).</summary>
public sealed record ConnectorClientOptions
{
    /// <summary>Total attempts including the first one.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First backoff delay when the connector gives no Retry-After; doubles per attempt, jittered.</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap on one computed backoff delay.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Cap on the summed delays of one call; a Retry-After beyond it fails the call instead of waiting.</summary>
    public TimeSpan MaxTotalRetryDelay { get; set; } = TimeSpan.FromSeconds(60);
}
