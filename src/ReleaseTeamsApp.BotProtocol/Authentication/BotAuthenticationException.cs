namespace ReleaseTeamsApp.BotProtocol;

/// <summary>An inbound request was not authenticated; answer 401 and log <see cref="Reason"/>, never echo it to the caller.</summary>
public sealed class BotAuthenticationException : Exception
{
    public BotAuthenticationException()
        : this("unspecified")
    {
    }

    public BotAuthenticationException(string reason)
        : base("The request could not be authenticated.")
    {
        Reason = reason;
    }

    public BotAuthenticationException(string reason, Exception innerException)
        : base("The request could not be authenticated.", innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the request was rejected; safe to log (contains no token material).</summary>
    public string Reason { get; }
}
