using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReleaseTeamsApp.BotProtocol.Tests;

public sealed class BotProtocolServiceCollectionExtensionsTests
{
    [Fact]
    public void AddBotProtocol_SingleTenantConfiguration_BindsOptionsAndResolvesServices()
    {
        using var provider = BuildProvider(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "app-id",
            ["MicrosoftAppPassword"] = "secret",
            ["MicrosoftAppTenantId"] = "tenant-1",
            ["MicrosoftAppType"] = "singletenant",
            ["Bot:OpenIdMetadataUrl"] = "https://metadata.example/v1/openid",
            ["Bot:LoginEndpoint"] = "https://login.microsoftonline.us",
            ["Bot:Connector:MaxAttempts"] = "2",
        });

        var options = provider.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value;
        var authenticator = provider.GetRequiredService<IBotAuthenticator>();
        var tokenProvider = provider.GetRequiredService<IBotTokenProvider>();
        var connector = provider.GetRequiredService<IConnectorClient>();

        Assert.Equal(BotAppType.SingleTenant, options.AppType);
        Assert.Equal("https://metadata.example/v1/openid", options.OpenIdMetadataUrl);
        Assert.Equal("https://login.microsoftonline.com/tenant-1/v2.0/.well-known/openid-configuration", options.ResolvedEntraOpenIdMetadataUrl);
        Assert.False(authenticator.IsAnonymous);
        Assert.Equal("https://login.microsoftonline.us/tenant-1", Assert.IsType<MsalBotTokenProvider>(tokenProvider).Authority);
        Assert.IsType<ConnectorClient>(connector);
        Assert.Equal(2, provider.GetRequiredService<IOptions<ConnectorClientOptions>>().Value.MaxAttempts);
    }

    [Fact]
    public void AddBotProtocol_NoAppId_IsAnonymous()
    {
        using var provider = BuildProvider([]);

        var authenticator = provider.GetRequiredService<IBotAuthenticator>();
        var tokenProvider = provider.GetRequiredService<IBotTokenProvider>();

        Assert.True(authenticator.IsAnonymous);
        Assert.IsType<AnonymousBotTokenProvider>(tokenProvider);
    }

    [Theory]
    [InlineData("SingleTenant", null, "secret")]
    [InlineData("MultiTenant", null, null)]
    public void AddBotProtocol_IncompleteCredentials_FailsValidation(string appType, string? tenantId, string? password)
    {
        using var provider = BuildProvider(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "app-id",
            ["MicrosoftAppType"] = appType,
            ["MicrosoftAppTenantId"] = tenantId,
            ["MicrosoftAppPassword"] = password,
        });

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value);
    }

    private static ServiceProvider BuildProvider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.ClearProviders());
        services.AddBotProtocol(configuration);
        return services.BuildServiceProvider();
    }
}
