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
            ["Bot:AcceptEntraTokens"] = "true",
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
    public void AddBotProtocol_SingleTenantWithoutEntraOptIn_TrustsOnlyChannelTokens()
    {
        using var provider = BuildProvider(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "app-id",
            ["MicrosoftAppPassword"] = "secret",
            ["MicrosoftAppTenantId"] = "tenant-1",
            ["MicrosoftAppType"] = "SingleTenant",
        });

        var options = provider.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value;

        Assert.False(options.AcceptEntraTokens);
        Assert.Null(options.ResolvedEntraOpenIdMetadataUrl);
    }

    [Fact]
    public void AddBotProtocol_NoAppIdWithAllowAnonymous_IsAnonymous()
    {
        using var provider = BuildProvider(new Dictionary<string, string?> { ["Bot:AllowAnonymous"] = "true" });

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

    [Theory]
    [InlineData("Production", null)]
    [InlineData("Staging", "false")]
    [InlineData(null, null)]
    public void AddBotProtocol_NoAppIdOutsideDevelopmentWithoutAllowAnonymous_FailsNamingTheSetting(string? environment, string? allowAnonymous)
    {
        using var provider = BuildProvider(new Dictionary<string, string?> { ["Bot:AllowAnonymous"] = allowAnonymous }, environment);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value);

        var failure = Assert.Single(ex.Failures);
        Assert.Contains("Bot__AllowAnonymous=true", failure, StringComparison.Ordinal);
        Assert.Contains("MicrosoftAppId", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AddBotProtocol_NoAppIdInDevelopment_IsAnonymous()
    {
        using var provider = BuildProvider([], "Development");

        Assert.True(provider.GetRequiredService<IBotAuthenticator>().IsAnonymous);
    }

    private static ServiceProvider BuildProvider(Dictionary<string, string?> settings, string? environment = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        if (environment is not null)
        {
            services.AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new TestEnvironment(environment));
        }

        services.AddLogging(logging => logging.ClearProviders());
        services.AddBotProtocol(configuration);
        return services.BuildServiceProvider();
    }

    private sealed class TestEnvironment(string name) : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "ReleaseTeamsApp.Tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
