using Microsoft.Identity.Client;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;

namespace ReleaseTeamsApp.BotProtocol.Tests.Connector;

public sealed class BotTokenProviderTests : IAsyncLifetime
{
    private const string LoginHost = "https://login.fake.example";
    private FakeHttpServer _login = null!;

    public async Task InitializeAsync()
    {
        _login = await FakeHttpServer.StartAsync((context, _) => FakeHttpServer.WriteJsonAsync(
            context,
            200,
            """{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"connector-token"}"""));
    }

    public async Task DisposeAsync() => await _login.DisposeAsync();

    [Fact]
    public void Create_NoAppId_ReturnsAnonymousProviderThatSendsNoToken()
    {
        var options = new BotAuthenticationOptions();

        var provider = BotTokenProviderFactory.Create(options, new RedirectingMsalHttpClientFactory(_login.BaseAddress));

        Assert.IsType<AnonymousBotTokenProvider>(provider);
    }

    [Fact]
    public void Create_UserAssignedMsi_ReturnsManagedIdentityProvider()
    {
        var options = new BotAuthenticationOptions { MicrosoftAppId = "msi-client-id", MicrosoftAppType = BotAppType.UserAssignedMSI, MicrosoftAppTenantId = "tenant-1" };

        var provider = BotTokenProviderFactory.Create(options, new RedirectingMsalHttpClientFactory(_login.BaseAddress));

        Assert.IsType<ManagedIdentityBotTokenProvider>(provider);
    }

    [Theory]
    [InlineData(null, "tenant-1", "https://login.microsoftonline.com/tenant-1")]
    [InlineData(BotAppType.SingleTenant, "tenant-1", "https://login.microsoftonline.com/tenant-1")]
    [InlineData(BotAppType.MultiTenant, "tenant-1", "https://login.microsoftonline.com/botframework.com")]
    [InlineData(null, null, "https://login.microsoftonline.com/botframework.com")]
    public void Create_SecretCredentials_UsesAuthorityForAppType(BotAppType? appType, string? tenantId, string expectedAuthority)
    {
        var options = new BotAuthenticationOptions { MicrosoftAppId = "app-id", MicrosoftAppPassword = "secret", MicrosoftAppType = appType, MicrosoftAppTenantId = tenantId };

        var provider = BotTokenProviderFactory.Create(options, new RedirectingMsalHttpClientFactory(_login.BaseAddress));

        Assert.Equal(expectedAuthority, Assert.IsType<MsalBotTokenProvider>(provider).Authority);
    }

    [Fact]
    public async Task GetAccessTokenAsync_SingleTenantSecret_PostsClientCredentialsToTenantAndCachesToken()
    {
        var options = new BotAuthenticationOptions
        {
            MicrosoftAppId = "app-id",
            MicrosoftAppPassword = "s3cret",
            MicrosoftAppTenantId = "tenant-1",
            LoginEndpoint = LoginHost,
        };
        var provider = BotTokenProviderFactory.Create(options, new RedirectingMsalHttpClientFactory(_login.BaseAddress));

        var first = await provider.GetAccessTokenAsync(CancellationToken.None);
        var second = await provider.GetAccessTokenAsync(CancellationToken.None);

        Assert.Equal("connector-token", first);
        Assert.Equal("connector-token", second);
        var request = Assert.Single(_login.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/tenant-1/oauth2/v2.0/token", request.RawTarget);
        var form = request.Body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal("app-id", form["client_id"]);
        Assert.Equal("s3cret", form["client_secret"]);
        Assert.Equal("https://api.botframework.com/.default", form["scope"]);
    }

    /// <summary>Sends MSAL's https calls for the configured login host to the local Kestrel fake.</summary>
    private sealed class RedirectingMsalHttpClientFactory(Uri target) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => new(new RedirectingHandler(target));
    }

    private sealed class RedirectingHandler(Uri target) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
