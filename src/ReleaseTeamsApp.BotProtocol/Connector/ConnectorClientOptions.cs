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

    /// <summary>
    /// Extra service URL hosts the bot's token may be sent to, comma-separated (<c>Bot:Connector:AllowedServiceHosts</c>),
    /// e.g. a local fake connector in tests. The Teams service hosts (<see cref="TeamsServiceHosts"/>) are always allowed.
    /// </summary>
    public string? AllowedServiceHosts { get; set; }

    /// <summary>The Teams connector hosts Microsoft documents as activity serviceUrls: public cloud, GCC, GCC High and DoD.</summary>
    public static IReadOnlyList<string> TeamsServiceHosts { get; } =
    [
        "smba.trafficmanager.net",
        "smba.infra.gcc.teams.microsoft.com",
        "smba.infra.gov.teams.microsoft.us",
        "smba.infra.dod.teams.microsoft.us",
    ];

    /// <summary>True when a request to <paramref name="uri"/> may carry the bot's token: https to a Teams host, or a host named in the setting.</summary>
    public bool AllowsServiceUrl(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Scheme == Uri.UriSchemeHttps && TeamsServiceHosts.Contains(uri.IdnHost, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return (AllowedServiceHosts ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Contains(uri.IdnHost, StringComparer.OrdinalIgnoreCase);
    }
}
