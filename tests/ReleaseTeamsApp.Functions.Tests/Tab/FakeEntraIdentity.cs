using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReleaseTeamsApp.Functions.Tests.Tab;

/// <summary>A fake login.microsoftonline.com on Kestrel (127.0.0.1:0): multi-tenant OpenID metadata, a JWKS with one RSA key, and a token signer.</summary>
internal sealed class FakeEntraIdentity : IAsyncDisposable
{
    public const string Kid = "tab-test-key";

    /// <summary>The Entra object id the tokens carry unless a test names another: a member of every team the SSO host's roster knows.</summary>
    public const string MemberOid = "0b3c9a1e-1111-4a4a-9b9b-00000000a11c";
    private readonly WebApplication _app;

    private FakeEntraIdentity(WebApplication app, Uri baseAddress, RSA key)
    {
        _app = app;
        BaseAddress = baseAddress;
        Key = key;
    }

    public Uri BaseAddress { get; }

    public RSA Key { get; }

    public Uri MetadataUrl => new(BaseAddress, "common/v2.0/.well-known/openid-configuration");

    public static async Task<FakeEntraIdentity> StartAsync()
    {
        var key = RSA.Create(2048);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        Uri? self = null;
        app.MapGet("/common/v2.0/.well-known/openid-configuration", () => Results.Text(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["issuer"] = "https://login.microsoftonline.com/{tenantid}/v2.0",
            ["jwks_uri"] = new Uri(self!, "common/discovery/v2.0/keys").ToString(),
            ["authorization_endpoint"] = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }), "application/json"));
        app.MapGet("/common/discovery/v2.0/keys", () =>
        {
            var parameters = key.ExportParameters(includePrivateParameters: false);
            return Results.Text(JsonSerializer.Serialize(new
            {
                keys = new[] { new { kty = "RSA", use = "sig", kid = Kid, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) } },
            }), "application/json");
        });
        await app.StartAsync();
        self = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        return new FakeEntraIdentity(app, self, key);
    }

    /// <summary>A Teams SSO token as Entra issues it (v2: issuer login.microsoftonline.com/{tid}/v2.0); every part can be bent by the test.</summary>
    public string CreateToken(
        string tenantId,
        string audience,
        string? issuer = null,
        TimeSpan? expiresIn = null,
        RSA? signWith = null,
        string? oid = MemberOid,
        string? scope = "access_as_user",
        IDictionary<string, object>? extraClaims = null)
    {
        var claims = new Dictionary<string, object> { ["tid"] = tenantId, ["name"] = "Test User" };
        if (oid is not null)
        {
            claims["oid"] = oid;
        }

        if (scope is not null)
        {
            claims["scp"] = scope;
        }

        foreach (var (name, value) in extraClaims ?? new Dictionary<string, object>())
        {
            claims[name] = value;
        }

        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromHours(1));
        var issued = expires < now ? expires - TimeSpan.FromHours(1) : now;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? $"https://login.microsoftonline.com/{tenantId}/v2.0",
            Audience = audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signWith ?? Key) { KeyId = Kid }, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Key.Dispose();
    }
}
