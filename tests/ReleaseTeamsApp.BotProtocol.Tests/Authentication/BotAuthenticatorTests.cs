using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;

namespace ReleaseTeamsApp.BotProtocol.Tests.Authentication;

public sealed class BotAuthenticatorTests : IAsyncLifetime
{
    private const string Kid = "key-1";
    private const string TenantId = "8a4b1c2d-0000-4000-8000-0000000007e1";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FakeBotFrameworkIdentity _identity = null!;
    private RSA _key = null!;

    public async Task InitializeAsync()
    {
        _identity = await FakeBotFrameworkIdentity.StartAsync();
        _key = _identity.PublishKey(Kid, "msteams");
    }

    public async Task DisposeAsync() => await _identity.DisposeAsync();

    [Fact]
    public async Task AuthenticateAsync_ValidChannelToken_ReturnsIdentityWithClaims()
    {
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow());

        var identity = await authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None);

        Assert.True(identity.IsAuthenticated);
        Assert.Equal(FakeBotFrameworkIdentity.AppId, identity.FindFirst("aud")?.Value);
        Assert.Equal(FakeBotFrameworkIdentity.ServiceUrl, identity.FindFirst("serviceurl")?.Value);
    }

    [Fact]
    public async Task AuthenticateAsync_ServiceUrlDiffersOnlyInCase_Accepts()
    {
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow(), serviceUrl: FakeBotFrameworkIdentity.ServiceUrl.ToUpperInvariant());

        var identity = await authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None);

        Assert.True(identity.IsAuthenticated);
    }

    [Fact]
    public async Task AuthenticateAsync_MissingHeaderWithAppId_Rejects()
    {
        using var authenticator = CreateAuthenticator();

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync(null, TeamsActivity(), CancellationToken.None));

        Assert.Contains("no Authorization header", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _identity.KeysRequests);
    }

    [Theory]
    [InlineData("Basic")]
    [InlineData("bearer")]
    [InlineData("Token")]
    public async Task AuthenticateAsync_WrongScheme_Rejects(string scheme)
    {
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow());

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"{scheme} {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("scheme", ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer  token")]
    [InlineData("Bearer a b")]
    public async Task AuthenticateAsync_HeaderNotTwoParts_Rejects(string header)
    {
        using var authenticator = CreateAuthenticator();

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync(header, TeamsActivity(), CancellationToken.None));

        Assert.Contains("<scheme> <token>", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_TokenNotAJwt_Rejects()
    {
        using var authenticator = CreateAuthenticator();

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync("Bearer not-a-jwt", TeamsActivity(), CancellationToken.None));

        Assert.Contains("well-formed", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_SignedByAnotherKeyWithSameKid_Rejects()
    {
        using var authenticator = CreateAuthenticator();
        using var attackerKey = RSA.Create(2048);
        var token = FakeBotFrameworkIdentity.CreateToken(attackerKey, Kid, _time.GetUtcNow());

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("Signature", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_TokenTamperedAfterSigning_Rejects()
    {
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow());
        var parts = token.Split('.');
        var forged = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow(), audience: "someone-else").Split('.');
        var tampered = $"{parts[0]}.{parts[1]}.{forged[2]}";

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {tampered}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("Signature", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_ExpiredBeyondClockSkew_Rejects()
    {
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow(), lifetime: TimeSpan.FromMinutes(-6));

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("Lifetime", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_ExpiredWithinClockSkew_Accepts()
    {
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow(), lifetime: TimeSpan.FromMinutes(-4));

        var identity = await authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None);

        Assert.True(identity.IsAuthenticated);
    }

    [Fact]
    public async Task AuthenticateAsync_ValidTokenAfterTimePasses_RejectsByInjectedClock()
    {
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(70));

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("Lifetime", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_WrongIssuer_RejectsWithoutFetchingKeys()
    {
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow(), issuer: "https://evil.example.com");

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("issuer", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _identity.KeysRequests);
    }

    [Fact]
    public async Task AuthenticateAsync_WrongAudience_Rejects()
    {
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow(), audience: "another-bot");

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("Audience", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_UnknownKidStillUnknownAfterRefresh_RejectsAfterOneRefresh()
    {
        using var authenticator = CreateAuthenticator();
        using var strayKey = RSA.Create(2048);
        var token = FakeBotFrameworkIdentity.CreateToken(strayKey, "never-published", _time.GetUtcNow());

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("unknown", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(2, _identity.KeysRequests);
    }

    [Fact]
    public async Task AuthenticateAsync_KeyRotatedAfterCaching_RefreshesAndAccepts()
    {
        using var authenticator = CreateAuthenticator();
        await authenticator.AuthenticateAsync($"Bearer {FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow())}", TeamsActivity(), CancellationToken.None);
        var rotated = _identity.PublishKey("key-2", "msteams");
        _identity.UnpublishKey(Kid);
        var token = FakeBotFrameworkIdentity.CreateToken(rotated, "key-2", _time.GetUtcNow());

        var identity = await authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None);

        Assert.True(identity.IsAuthenticated);
        Assert.Equal(2, _identity.KeysRequests);
    }

    [Fact]
    public async Task AuthenticateAsync_RepeatedUnknownKids_RefreshesAtMostOncePerFiveMinutes()
    {
        using var authenticator = CreateAuthenticator();
        using var strayKey = RSA.Create(2048);
        var header = $"Bearer {FakeBotFrameworkIdentity.CreateToken(strayKey, "stray", _time.GetUtcNow())}";
        await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync(header, TeamsActivity(), CancellationToken.None));
        await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync(header, TeamsActivity(), CancellationToken.None));
        var afterBurst = _identity.KeysRequests;
        _time.Advance(TimeSpan.FromMinutes(5));

        await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync(header, TeamsActivity(), CancellationToken.None));

        Assert.Equal(2, afterBurst);
        Assert.Equal(3, _identity.KeysRequests);
    }

    [Fact]
    public async Task AuthenticateAsync_KeyEndorsedForAnotherChannel_Rejects()
    {
        var webchatKey = _identity.PublishKey("webchat-key", "webchat");
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateToken(webchatKey, "webchat-key", _time.GetUtcNow());

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("not endorsed for channel 'msteams'", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_KeyWithoutEndorsements_Rejects()
    {
        var bareKey = _identity.PublishKey("bare-key", null);
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateToken(bareKey, "bare-key", _time.GetUtcNow());

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("no endorsements", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_ServiceUrlClaimMismatch_Rejects()
    {
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow(), serviceUrl: "https://attacker.example.com/");

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("does not match", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_ServiceUrlClaimMissing_Rejects()
    {
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow(), serviceUrl: null);

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("no serviceurl claim", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_Hs256Token_Rejects()
    {
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateSymmetricToken(Kid, _time.GetUtcNow());

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("HS256", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_Rs512Token_Accepts()
    {
        using var authenticator = CreateAuthenticator();
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow(), algorithm: SecurityAlgorithms.RsaSha512);

        var identity = await authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None);

        Assert.True(identity.IsAuthenticated);
    }

    [Fact]
    public async Task AuthenticateAsync_AnonymousModeWithoutHeader_ReturnsAnonymousIdentity()
    {
        using var authenticator = CreateAuthenticator(appId: null);

        var identity = await authenticator.AuthenticateAsync(null, TeamsActivity(), CancellationToken.None);

        Assert.True(authenticator.IsAnonymous);
        Assert.Equal("anonymous", identity.AuthenticationType);
        Assert.Empty(identity.Claims);
    }

    [Fact]
    public async Task AuthenticateAsync_AnonymousModeWithHeader_StillValidatesAndRejects()
    {
        using var authenticator = CreateAuthenticator(appId: null);
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow());

        await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));
    }

    [Theory]
    [InlineData("https://sts.windows.net/" + TenantId + "/", "1.0", "appid")]
    [InlineData("https://login.microsoftonline.com/" + TenantId + "/v2.0", "2.0", "azp")]
    public async Task AuthenticateAsync_SingleTenantEntraTokenOptedIn_Accepts(string issuer, string version, string callerClaim)
    {
        using var authenticator = CreateAuthenticator(tenantId: TenantId, acceptEntraTokens: true);
        var claims = new Dictionary<string, object> { ["ver"] = version, [callerClaim] = FakeBotFrameworkIdentity.AppId };
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow(), issuer: issuer, serviceUrl: null, extraClaims: claims);

        var identity = await authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None);

        Assert.True(identity.IsAuthenticated);
    }

    [Fact]
    public async Task AuthenticateAsync_EntraTokenForAnotherApp_Rejects()
    {
        using var authenticator = CreateAuthenticator(tenantId: TenantId, acceptEntraTokens: true);
        var claims = new Dictionary<string, object> { ["ver"] = "2.0", ["azp"] = "some-other-app" };
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow(), issuer: $"https://login.microsoftonline.com/{TenantId}/v2.0", extraClaims: claims);

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("azp", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_EntraTokenWithoutVer_Rejects()
    {
        using var authenticator = CreateAuthenticator(tenantId: TenantId, acceptEntraTokens: true);
        var claims = new Dictionary<string, object> { ["appid"] = FakeBotFrameworkIdentity.AppId };
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow(), issuer: $"https://sts.windows.net/{TenantId}/", extraClaims: claims);

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("ver", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_EntraIssuerWithoutTenantConfigured_Rejects()
    {
        using var authenticator = CreateAuthenticator();
        var claims = new Dictionary<string, object> { ["ver"] = "1.0", ["appid"] = FakeBotFrameworkIdentity.AppId };
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow(), issuer: $"https://sts.windows.net/{TenantId}/", extraClaims: claims);

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("not trusted", ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://sts.windows.net/" + TenantId + "/", "1.0", "appid")]
    [InlineData("https://login.microsoftonline.com/" + TenantId + "/v2.0", "2.0", "azp")]
    public async Task AuthenticateAsync_ValidEntraTokenWithoutOptIn_RejectsWithoutFetchingKeys(string issuer, string version, string callerClaim)
    {
        using var authenticator = CreateAuthenticator(tenantId: TenantId);
        var claims = new Dictionary<string, object> { ["ver"] = version, [callerClaim] = FakeBotFrameworkIdentity.AppId };
        var token = FakeBotFrameworkIdentity.CreateToken(_key, Kid, _time.GetUtcNow(), issuer: issuer, serviceUrl: null, extraClaims: claims);

        var ex = await Assert.ThrowsAsync<BotAuthenticationException>(() => authenticator.AuthenticateAsync($"Bearer {token}", TeamsActivity(), CancellationToken.None));

        Assert.Contains("not trusted", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _identity.KeysRequests);
    }

    private BotAuthenticator CreateAuthenticator(string? appId = FakeBotFrameworkIdentity.AppId, string? tenantId = null, bool acceptEntraTokens = false)
    {
        var options = new BotAuthenticationOptions
        {
            MicrosoftAppId = appId,
            MicrosoftAppTenantId = tenantId,
            MicrosoftAppPassword = "unused",
            OpenIdMetadataUrl = _identity.MetadataUrl,
            EntraOpenIdMetadataUrl = _identity.MetadataUrl,
            AcceptEntraTokens = acceptEntraTokens,
        };
        return new BotAuthenticator(Options.Create(options), new TestHttpClientFactory(), _time, NullLogger<BotAuthenticator>.Instance);
    }

    private static Activity TeamsActivity() => new()
    {
        Type = ActivityTypes.Message,
        ChannelId = Channels.MsTeams,
        ServiceUrl = FakeBotFrameworkIdentity.ServiceUrl,
        Text = "hello",
    };
}
