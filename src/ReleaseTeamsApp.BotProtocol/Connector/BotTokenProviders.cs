using System.Security.Cryptography.X509Certificates;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>Chooses the token provider for the configured app type.</summary>
internal static class BotTokenProviderFactory
{
    public static IBotTokenProvider Create(BotAuthenticationOptions options, IMsalHttpClientFactory httpClientFactory)
    {
        if (options.IsAnonymous)
        {
            return new AnonymousBotTokenProvider();
        }

        return options.AppType == BotAppType.UserAssignedMSI
            ? new ManagedIdentityBotTokenProvider(options, httpClientFactory)
            : new MsalBotTokenProvider(options, httpClientFactory);
    }
}

/// <summary>No app id: outbound calls carry no token (emulator / local development).</summary>
internal sealed class AnonymousBotTokenProvider : IBotTokenProvider
{
    public Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}

/// <summary>Client-credentials tokens (secret or certificate) from one long-lived MSAL app whose in-memory cache holds the token.</summary>
internal sealed class MsalBotTokenProvider : IBotTokenProvider
{
    internal const string Scope = "https://api.botframework.com/.default";
    internal const string MultiTenantAuthorityTenant = "botframework.com";
    private static readonly string[] Scopes = [Scope];

    private readonly IConfidentialClientApplication _application;

    public MsalBotTokenProvider(BotAuthenticationOptions options, IMsalHttpClientFactory httpClientFactory)
    {
        Authority = GetAuthority(options);
        var builder = ConfidentialClientApplicationBuilder.Create(options.MicrosoftAppId)
            .WithAuthority(Authority, validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(httpClientFactory);
        builder = options.MicrosoftAppPassword is { } secret
            ? builder.WithClientSecret(secret)
            : builder.WithCertificate(LoadCertificate(options));
        _application = builder.Build();
    }

    /// <summary>The token authority, e.g. https://login.microsoftonline.com/{tenant}.</summary>
    public string Authority { get; }

    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var result = await _application.AcquireTokenForClient(Scopes).ExecuteAsync(cancellationToken);
        return result.AccessToken;
    }

    internal static string GetAuthority(BotAuthenticationOptions options)
    {
        // Single-tenant bots get tokens from their home tenant for every conversation, including other tenants'.
        var tenant = options.AppType == BotAppType.SingleTenant ? options.MicrosoftAppTenantId : MultiTenantAuthorityTenant;
        return $"{options.LoginEndpoint.TrimEnd('/')}/{tenant}";
    }

    private static X509Certificate2 LoadCertificate(BotAuthenticationOptions options)
    {
        if (options.MicrosoftAppCertificatePath is { } path)
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, options.MicrosoftAppCertificatePassword);
        }

        if (options.MicrosoftAppCertificateBase64 is { } base64)
        {
            return X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(base64), options.MicrosoftAppCertificatePassword);
        }

        throw new InvalidOperationException("MicrosoftAppPassword or a MicrosoftAppCertificate setting is required when MicrosoftAppId is set.");
    }
}

/// <summary>Tokens from the user-assigned managed identity whose client id is the bot's app id.</summary>
internal sealed class ManagedIdentityBotTokenProvider : IBotTokenProvider
{
    internal const string Resource = "https://api.botframework.com";

    private readonly IManagedIdentityApplication _application;

    public ManagedIdentityBotTokenProvider(BotAuthenticationOptions options, IMsalHttpClientFactory httpClientFactory)
    {
        _application = ManagedIdentityApplicationBuilder
            .Create(ManagedIdentityId.WithUserAssignedClientId(options.MicrosoftAppId))
            .WithHttpClientFactory(httpClientFactory)
            .Build();
    }

    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var result = await _application.AcquireTokenForManagedIdentity(Resource).ExecuteAsync(cancellationToken);
        return result.AccessToken;
    }
}

/// <summary>Lets MSAL use pooled handlers from IHttpClientFactory.</summary>
internal sealed class MsalHttpClientFactoryAdapter : IMsalHttpClientFactory
{
    private readonly IHttpClientFactory _httpClientFactory;

    public MsalHttpClientFactoryAdapter(IHttpClientFactory httpClientFactory) => _httpClientFactory = httpClientFactory;

    public HttpClient GetHttpClient() => _httpClientFactory.CreateClient(BotProtocolServiceCollectionExtensions.MsalHttpClientName);
}
