using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ReleaseTeamsApp.LocalHost;

/// <summary>How the stand-in behaves beyond Teams' limits: slow or always-throttled card updates (PUT).</summary>
internal sealed record LimitedTeamsConnectorOptions
{
    /// <summary>Teams' limit per app and tenant (the stand-in serves one tenant).</summary>
    public int TenantPerSecond { get; init; } = 50;

    /// <summary>Teams' per-thread limits (a channel and its reply chains are one thread).</summary>
    public IReadOnlyList<(int Count, TimeSpan Window)> ThreadWindows { get; init; } =
        [(7, TimeSpan.FromSeconds(1)), (8, TimeSpan.FromSeconds(2)), (60, TimeSpan.FromSeconds(30)), (1800, TimeSpan.FromHours(1))];

    /// <summary>Every PUT (card update) takes this long before it is answered.</summary>
    public TimeSpan PutLatency { get; init; }

    /// <summary>Every PUT is answered 429 with this Retry-After (seconds), whatever the rate.</summary>
    public int? PutAlwaysThrottledRetryAfter { get; init; }
}

/// <summary>One accepted post as Teams would show it.</summary>
internal sealed record PostedActivity(string Operation, string ConversationId, string ActivityId, string? Text, IReadOnlyList<string> Mentioned, DateTimeOffset At);

/// <summary>
/// A Bot Connector stand-in that enforces Teams' documented rate limits (learn.microsoft.com, "Optimize your bot with
/// rate limiting in Teams"): 50 requests per second per app and tenant; per bot and thread 7 per second, 8 per 2 s,
/// 60 per 30 s and 1,800 per hour. Over a limit it answers 429 with Retry-After (the seconds until the window has room)
/// and counts it; what it accepts is recorded for asserting "each once, none lost".
/// </summary>
internal sealed class LimitedTeamsConnector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LimitedTeamsConnectorOptions _options;
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _tenant = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _threads = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<PostedActivity> _posted = new();
    private long _requests;
    private long _throttled;
    private long _putsThrottled;
    private int _ids;

    private LimitedTeamsConnector(WebApplication app, LimitedTeamsConnectorOptions options)
    {
        _app = app;
        _options = options;
    }

    /// <summary>The service URL activities carry so the bot answers here.</summary>
    public string ServiceUrl { get; private set; } = "";

    public long Requests => Interlocked.Read(ref _requests);

    public long Throttled => Interlocked.Read(ref _throttled);

    public long PutsThrottled => Interlocked.Read(ref _putsThrottled);

    public IReadOnlyList<PostedActivity> Posted => [.. _posted];

    public static async Task<LimitedTeamsConnector> StartAsync(LimitedTeamsConnectorOptions? options = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var connector = new LimitedTeamsConnector(app, options ?? new LimitedTeamsConnectorOptions());
        connector.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        connector.ServiceUrl = address.TrimEnd('/') + "/";
        return connector;
    }

    public void ResetCounts()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _throttled, 0);
        Interlocked.Exchange(ref _putsThrottled, 0);
        _posted.Clear();
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/v3/conversations", async (HttpContext context) =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body);
            var channel = body?["channelData"]?["channel"]?["id"]?.GetValue<string>() ?? "19:standin@thread.tacv2";
            if (Admit(context, channel) is { } throttled)
            {
                return throttled;
            }

            var id = NextId();
            Record("create", channel, id, body?["activity"]);
            return Results.Ok(new { id = $"{channel};messageid={id}", activityId = id });
        });
        app.MapGet("/v3/conversations/{conversationId}/members/{memberId}", (HttpContext context, string conversationId, string memberId) =>
            Admit(context, conversationId) ?? Results.Ok(new { id = memberId, name = memberId, email = $"{memberId.TrimStart('2', '9', ':')}@contoso.example" }));
        app.MapMethods("/v3/conversations/{conversationId}/activities/{activityId?}", ["POST", "PUT", "DELETE"], async (HttpContext context, string conversationId, string? activityId) =>
        {
            var method = context.Request.Method;
            var body = method == "DELETE" ? null : await JsonNode.ParseAsync(context.Request.Body);
            if (method == "PUT" && _options.PutAlwaysThrottledRetryAfter is { } retryAfter)
            {
                Interlocked.Increment(ref _requests);
                Interlocked.Increment(ref _throttled);
                Interlocked.Increment(ref _putsThrottled);
                context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                return Results.StatusCode(429);
            }

            if (Admit(context, conversationId) is { } throttled)
            {
                return throttled;
            }

            if (method == "PUT" && _options.PutLatency > TimeSpan.Zero)
            {
                await Task.Delay(_options.PutLatency);
            }

            var id = method == "POST" ? NextId() : activityId ?? NextId();
            Record(method switch { "PUT" => "update", "DELETE" => "delete", _ => activityId is null ? "send" : "reply" }, conversationId, id, body);
            return Results.Ok(new { id });
        });
    }

    /// <summary>Counts the request against the tenant and its thread, or answers 429 when a window is full.</summary>
    private IResult? Admit(HttpContext context, string conversationId)
    {
        Interlocked.Increment(ref _requests);
        var thread = conversationId.Split(";messageid=", 2)[0];
        TimeSpan wait;
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            if (!_threads.TryGetValue(thread, out var sent))
            {
                sent = new Queue<DateTimeOffset>();
                _threads[thread] = sent;
            }

            wait = Full(_tenant, _options.TenantPerSecond, TimeSpan.FromSeconds(1), now);
            foreach (var (count, window) in _options.ThreadWindows)
            {
                var full = Full(sent, count, window, now);
                wait = full > wait ? full : wait;
            }

            if (wait <= TimeSpan.Zero)
            {
                _tenant.Enqueue(now);
                sent.Enqueue(now);
                Trim(_tenant, now, TimeSpan.FromSeconds(1));
                Trim(sent, now, _options.ThreadWindows.Max(w => w.Window));
                return null;
            }
        }

        Interlocked.Increment(ref _throttled);
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Results.Json(new { error = new { code = "TooManyRequests", message = "Too many requests" } }, statusCode: 429);
    }

    private static TimeSpan Full(Queue<DateTimeOffset> log, int limit, TimeSpan window, DateTimeOffset now)
    {
        var inWindow = log.Where(t => t > now - window).ToList();
        return inWindow.Count < limit ? TimeSpan.Zero : inWindow[inWindow.Count - limit] + window - now;
    }

    private static void Trim(Queue<DateTimeOffset> log, DateTimeOffset now, TimeSpan keep)
    {
        while (log.Count > 0 && log.Peek() <= now - keep)
        {
            log.Dequeue();
        }
    }

    private string NextId() => Interlocked.Increment(ref _ids).ToString(CultureInfo.InvariantCulture);

    private void Record(string operation, string conversationId, string id, JsonNode? activity)
    {
        var mentioned = activity?["entities"]?.AsArray().Select(e => e?["mentioned"]?["id"]?.GetValue<string>()).OfType<string>().ToList() ?? [];
        _posted.Enqueue(new PostedActivity(operation, conversationId, id, activity?["text"]?.GetValue<string>() ?? activity?["summary"]?.GetValue<string>(), mentioned, DateTimeOffset.UtcNow));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
