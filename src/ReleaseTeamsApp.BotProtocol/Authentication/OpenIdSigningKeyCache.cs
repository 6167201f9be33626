using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>A signing key with the channel ids it is endorsed for.</summary>
internal sealed record EndorsedSigningKey(JsonWebKey Key, IReadOnlyList<string> Endorsements);

/// <summary>Caches the signing keys published by one OpenID metadata document, reading the raw JWKS so <c>endorsements</c> survive.</summary>
internal sealed class OpenIdSigningKeyCache : IDisposable
{
    internal static readonly TimeSpan AutomaticRefreshInterval = TimeSpan.FromHours(24);
    internal static readonly TimeSpan MinimumForcedRefreshInterval = TimeSpan.FromMinutes(5);

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly string _metadataUrl;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private IReadOnlyDictionary<string, EndorsedSigningKey>? _keys;
    private DateTimeOffset _loadedAt;
    private DateTimeOffset? _lastForcedRefreshAt;

    public OpenIdSigningKeyCache(IHttpClientFactory httpClientFactory, string metadataUrl, TimeProvider timeProvider, ILogger logger)
    {
        _httpClientFactory = httpClientFactory;
        _metadataUrl = metadataUrl;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public void Dispose() => _refreshLock.Dispose();

    /// <summary>Finds the key by id, refreshing once (rate-limited) when the id is unknown so key rotation is picked up.</summary>
    public async Task<EndorsedSigningKey?> GetKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        var keys = _keys;
        if (keys is null || _timeProvider.GetUtcNow() - _loadedAt >= AutomaticRefreshInterval)
        {
            keys = await RefreshAsync(forced: false, keys, cancellationToken);
        }

        if (keys.TryGetValue(keyId, out var key))
        {
            return key;
        }

        keys = await RefreshAsync(forced: true, keys, cancellationToken);
        return keys.TryGetValue(keyId, out key) ? key : null;
    }

    private async Task<IReadOnlyDictionary<string, EndorsedSigningKey>> RefreshAsync(bool forced, IReadOnlyDictionary<string, EndorsedSigningKey>? seen, CancellationToken cancellationToken)
    {
        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            // Another caller refreshed while this one waited.
            if (_keys is not null && !ReferenceEquals(_keys, seen))
            {
                return _keys;
            }

            var now = _timeProvider.GetUtcNow();
            if (forced)
            {
                // Unknown kids are attacker-controlled, so they may trigger at most one fetch per interval.
                if (_lastForcedRefreshAt is { } last && now - last < MinimumForcedRefreshInterval)
                {
                    return _keys!;
                }

                _lastForcedRefreshAt = now;
            }

            try
            {
                var keys = await FetchAsync(cancellationToken);
                _keys = keys;
                _loadedAt = now;
                Log.SigningKeysRefreshed(_logger, _metadataUrl, keys.Count, forced);
                return keys;
            }
            catch (Exception ex) when (_keys is not null && ex is HttpRequestException or JsonException or InvalidOperationException)
            {
                // Keep serving the keys we have; the next unknown kid or expiry retries.
                Log.SigningKeysRefreshFailed(_logger, ex, _metadataUrl);
                return _keys;
            }
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private async Task<IReadOnlyDictionary<string, EndorsedSigningKey>> FetchAsync(CancellationToken cancellationToken)
    {
        using var client = _httpClientFactory.CreateClient(BotProtocolServiceCollectionExtensions.OpenIdHttpClientName);
        using var metadata = JsonDocument.Parse(await client.GetStringAsync(new Uri(_metadataUrl), cancellationToken));
        var jwksUri = metadata.RootElement.TryGetProperty("jwks_uri", out var uri) && uri.ValueKind == JsonValueKind.String
            ? uri.GetString()
            : null;
        if (string.IsNullOrEmpty(jwksUri))
        {
            throw new InvalidOperationException($"OpenID metadata at {_metadataUrl} has no jwks_uri.");
        }

        var jwksJson = await client.GetStringAsync(new Uri(jwksUri), cancellationToken);
        var keySet = new JsonWebKeySet(jwksJson);
        using var raw = JsonDocument.Parse(jwksJson);
        var endorsementsByKid = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (raw.RootElement.TryGetProperty("keys", out var rawKeys) && rawKeys.ValueKind == JsonValueKind.Array)
        {
            foreach (var rawKey in rawKeys.EnumerateArray())
            {
                if (rawKey.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String
                    && rawKey.TryGetProperty("endorsements", out var endorsements) && endorsements.ValueKind == JsonValueKind.Array)
                {
                    endorsementsByKid[kid.GetString()!] = endorsements.EnumerateArray()
                        .Where(e => e.ValueKind == JsonValueKind.String)
                        .Select(e => e.GetString()!)
                        .ToList();
                }
            }
        }

        var result = new Dictionary<string, EndorsedSigningKey>(StringComparer.Ordinal);
        foreach (var key in keySet.Keys.Where(k => !string.IsNullOrEmpty(k.Kid)))
        {
            result[key.Kid] = new EndorsedSigningKey(key, endorsementsByKid.GetValueOrDefault(key.Kid) ?? []);
        }

        return result;
    }
}
