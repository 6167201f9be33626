using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>Registers the bot protocol: inbound authentication, outbound tokens and the connector client.</summary>
public static class BotProtocolServiceCollectionExtensions
{
    internal const string OpenIdHttpClientName = "BotProtocol.OpenId";
    internal const string MsalHttpClientName = "BotProtocol.Msal";

    /// <summary>
    /// Adds <see cref="IBotAuthenticator"/>, <see cref="IBotTokenProvider"/> and <see cref="IConnectorClient"/>,
    /// configured from the SDK keys (<c>MicrosoftAppId</c>, <c>MicrosoftAppTenantId</c>, <c>MicrosoftAppType</c>,
    /// <c>MicrosoftAppPassword</c>, <c>Bot:*</c>) and <c>Bot:Connector</c> for retries.
    /// </summary>
    public static IServiceCollection AddBotProtocol(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<BotAuthenticationOptions>()
            .Configure(options => BotAuthenticationOptions.Bind(configuration, options))
            .ValidateOnStart();
        // Startup fails naming each missing or invalid setting.
        services.AddSingleton<IValidateOptions<BotAuthenticationOptions>, BotAuthenticationOptionsValidator>();
        services.AddOptions<ConnectorClientOptions>()
            .Bind(configuration.GetSection("Bot:Connector"))
            .Validate(options => options.MaxAttempts >= 1, "Bot:Connector:MaxAttempts must be at least 1.")
            .ValidateOnStart();

        services.AddOptions<ConnectorPacingOptions>()
            .Bind(configuration.GetSection("Bot:Connector:Pacing"))
            .Validate(o => o.Headroom is > 0 and <= 1 && o.InteractiveShare is >= 0 and < 1 && o.Instances >= 1 && o.TenantRequestsPerSecond > 0,
                "Bot:Connector:Pacing needs 0 < Headroom <= 1, 0 <= InteractiveShare < 1, Instances >= 1 and TenantRequestsPerSecond > 0.")
            .ValidateOnStart();
        // Teams' limits run on wall-clock time, even where the app's clock is simulated (local host, tests).
        services.TryAddSingleton(sp => new ConnectorPacer(sp.GetRequiredService<IOptions<ConnectorPacingOptions>>(), TimeProvider.System));

        services.AddHttpClient(OpenIdHttpClientName);
        services.AddHttpClient(MsalHttpClientName);
        services.TryAddSingleton<IBotAuthenticator, BotAuthenticator>();
        services.TryAddSingleton<IBotTokenProvider>(sp => BotTokenProviderFactory.Create(
            sp.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value,
            new MsalHttpClientFactoryAdapter(sp.GetRequiredService<IHttpClientFactory>())));
        services.AddHttpClient<IConnectorClient, ConnectorClient>();
        return services;
    }
}

internal sealed class BotAuthenticationOptionsValidator : IValidateOptions<BotAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, BotAuthenticationOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
