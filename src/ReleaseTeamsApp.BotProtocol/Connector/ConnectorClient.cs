using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>Connector REST client with bearer auth and Teams-aware retries (digest §3).</summary>
internal sealed class ConnectorClient : IConnectorClient
{
    internal const string CorrelationHeader = "X-Correlating-OperationId";

    private readonly HttpClient _httpClient;
    private readonly IBotTokenProvider _tokenProvider;
    private readonly ConnectorClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ConnectorClient> _logger;
    private readonly ConnectorPacer _pacer;

    public ConnectorClient(HttpClient httpClient, IBotTokenProvider tokenProvider, IOptions<ConnectorClientOptions> options, TimeProvider timeProvider, ILogger<ConnectorClient> logger, ConnectorPacer pacer)
    {
        _pacer = pacer;
        _httpClient = httpClient;
        _tokenProvider = tokenProvider;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string replyToId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentException.ThrowIfNullOrEmpty(replyToId);
        var reply = activity with { ReplyToId = activity.ReplyToId ?? replyToId };
        var uri = ActivityUri(serviceUrl, conversationId, replyToId);
        return SendAsync<ResourceResponse>("ReplyToActivity", HttpMethod.Post, uri, conversationId, reply, cancellationToken);
    }

    public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var uri = BuildUri(serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities");
        return SendAsync<ResourceResponse>("SendToConversation", HttpMethod.Post, uri, conversationId, activity, cancellationToken);
    }

    public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var uri = BuildUri(serviceUrl, "v3/conversations");
        // A new channel thread counts against its channel; a new chat against its tenant only.
        var thread = (parameters.ChannelData as TeamsChannelData)?.Channel?.Id ?? "new:" + parameters.TenantId;
        return SendAsync<ConversationResourceResponse>("CreateConversation", HttpMethod.Post, uri, thread, parameters, cancellationToken, parameters.TenantId);
    }

    public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var uri = ActivityUri(serviceUrl, conversationId, activityId);
        var update = activity with { Id = activity.Id ?? activityId };
        return SendAsync<ResourceResponse>("UpdateActivity", HttpMethod.Put, uri, conversationId, update, cancellationToken);
    }

    public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken)
    {
        var uri = ActivityUri(serviceUrl, conversationId, activityId);
        return SendAsync<ResourceResponse>("DeleteActivity", HttpMethod.Delete, uri, conversationId, body: null, cancellationToken);
    }

    public Task<TeamsChannelAccount> GetConversationMemberAsync(string serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken)
    {
        var uri = BuildUri(serviceUrl, $"v3/conversations/{Escape(conversationId)}/members/{Escape(memberId)}");
        return SendAsync<TeamsChannelAccount>("GetConversationMember", HttpMethod.Get, uri, conversationId, body: null, cancellationToken);
    }

    private static Uri ActivityUri(string serviceUrl, string conversationId, string activityId) =>
        BuildUri(serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}");

    private static string Escape(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Uri.EscapeDataString(id);
    }

    private static Uri BuildUri(string serviceUrl, string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceUrl);
        if (!Uri.TryCreate($"{serviceUrl.TrimEnd('/')}/{relativePath}", UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"'{serviceUrl}' is not an absolute http(s) service URL.", nameof(serviceUrl));
        }

        return uri;
    }

    private async Task<T> SendAsync<T>(string operation, HttpMethod method, Uri uri, string conversationId, object? body, CancellationToken cancellationToken, string? tenantId = null)
        where T : class, new()
    {
        var (scopeTenant, priority) = ConnectorTraffic.Now;
        var tenant = scopeTenant.Length > 0 ? scopeTenant : tenantId ?? "";
        var payload = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), BotJson.Options);
        // The serviceUrl comes from an activity; the bot's token goes only to the Teams service (or a host the operator named).
        // Without a token (anonymous local runs) the local Teams stand-in on loopback is fine too.
        var token = await _tokenProvider.GetAccessTokenAsync(cancellationToken);
        if (!_options.AllowsServiceUrl(uri) && (token is not null || !uri.IsLoopback))
        {
            Log.ConnectorHostRefused(_logger, operation, uri.IdnHost);
            throw new ConnectorException($"Connector {operation} refused: '{uri.IdnHost}' is not a Teams service host. Add it to Bot__Connector__AllowedServiceHosts if it is yours.");
        }

        var totalDelay = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            if (payload is not null)
            {
                request.Content = new ByteArrayContent(payload);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            }

            using var response = await SendPacedAsync(request, tenant, conversationId, priority, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return await ReadResultAsync<T>(response, CancellationToken.None);
            }

            var correlationId = response.Headers.TryGetValues(CorrelationHeader, out var values) ? values.FirstOrDefault() : null;
            if (attempt < _options.MaxAttempts && IsRetryable(response.StatusCode))
            {
                var delay = GetRetryDelay(response, attempt);
                if (totalDelay + delay <= _options.MaxTotalRetryDelay)
                {
                    totalDelay += delay;
                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        _pacer.Throttled(conversationId, delay);
                    }

                    Log.ConnectorRetrying(_logger, operation, (int)response.StatusCode, attempt, delay, correlationId);
                    await Task.Delay(delay, _timeProvider, cancellationToken);
                    continue;
                }
            }

            throw await CreateExceptionAsync(operation, response, correlationId, cancellationToken);
        }
    }

    /// <summary>Every attempt, retries included, waits for its turn under Teams' limits and counts in them until answered.</summary>
    private async Task<HttpResponseMessage> SendPacedAsync(HttpRequestMessage request, string tenant, string conversationId, SendPriority priority, CancellationToken cancellationToken)
    {
        using var turn = await _pacer.WaitTurnAsync(tenant, conversationId, priority, cancellationToken);
        // Read again per attempt: the provider caches, and a long wait for a turn may outlive the token.
        var token = await _tokenProvider.GetAccessTokenAsync(cancellationToken);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        // Once a request is on its way it is finished even when the caller stops (host shutdown): abandoning it would
        // leave unknown whether Teams posted it, and a sweep taking over would post it again. Waits before it do stop.
        return await _httpClient.SendAsync(request, CancellationToken.None);
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private TimeSpan GetRetryDelay(HttpResponseMessage response, int attempt)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var untilDate = date - _timeProvider.GetUtcNow();
            return untilDate < TimeSpan.Zero ? TimeSpan.Zero : untilDate;
        }

        // Jitter (±25%) spreads retries of concurrent senders so they do not hit the same throttle window together.
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        var jitter = 0.75 + (Random.Shared.NextDouble() * 0.5);
#pragma warning restore CA5394
        var backoff = _options.BaseRetryDelay * Math.Pow(2, attempt - 1) * jitter;
        return backoff > _options.MaxRetryDelay ? _options.MaxRetryDelay : backoff;
    }

    private static async Task<T> ReadResultAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class, new()
    {
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (content.Length == 0)
        {
            return new T();
        }

        try
        {
            return JsonSerializer.Deserialize<T>(content, BotJson.Options) ?? new T();
        }
        catch (JsonException)
        {
            // Delete and some sends answer with a non-JSON or empty body; the call still succeeded.
            return new T();
        }
    }

    private static async Task<ConnectorException> CreateExceptionAsync(string operation, HttpResponseMessage response, string? correlationId, CancellationToken cancellationToken)
    {
        var content = await response.Content.ReadAsStringAsync(cancellationToken);
        ErrorDetail? error = null;
        if (!string.IsNullOrWhiteSpace(content))
        {
            try
            {
                error = JsonSerializer.Deserialize<ErrorResponse>(content, BotJson.Options)?.Error;
            }
            catch (JsonException)
            {
                // Gateways answer with HTML; the status code is all there is.
            }
        }

        var status = (int)response.StatusCode;
        var message = $"Connector {operation} failed with {status} {error?.Code ?? response.ReasonPhrase}: {error?.Message ?? "no error body"}";
        return new ConnectorException(message, response.StatusCode, error?.Code, correlationId);
    }
}
