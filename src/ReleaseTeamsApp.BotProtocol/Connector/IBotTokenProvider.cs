namespace ReleaseTeamsApp.BotProtocol;

/// <summary>Supplies the bearer token the bot sends to the connector (the SDK's <c>AppCredentials</c>).</summary>
public interface IBotTokenProvider
{
    /// <summary>An access token for <c>https://api.botframework.com</c>, or null when the bot runs anonymously.</summary>
    Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken);
}
