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

/// <summary>
/// 429 answers for one full limit, and how many of the requests filling it at those moments had been let go by the
/// sender a whole window before the throttled one (so the sender no longer counted them: they arrived late).
/// </summary>
internal sealed record ThrottleCause(int Answers, int LateArrivals);

/// <summary>A request counted by the stand-in at <paramref name="At"/>, that many milliseconds after the sender's pacer let it go.</summary>
internal sealed record Delivery(DateTimeOffset At, double Milliseconds);

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
    /// <summary>A sender may stamp when its pacer let the request go (UTC ticks), so the stand-in can tell how late it arrived.</summary>
    public const string ReleasedHeader = "X-Paced-At";

    private readonly WebApplication _app;
    private readonly LimitedTeamsConnectorOptions _options;
    private readonly Lock _gate = new();
    private readonly Queue<Arrival> _tenant = new();
    private readonly Dictionary<string, Queue<Arrival>> _threads = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<PostedActivity> _posted = new();
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private readonly ConcurrentDictionary<string, ThrottleCause> _causes = new(StringComparer.Ordinal);
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

    /// <summary>
    /// When each request that carried a <see cref="ReleasedHeader"/> stamp (set when the sender's pacer let it go) was
    /// counted here, and how long after the stamp.
    /// </summary>
    public IReadOnlyList<Delivery> Deliveries => [.. _deliveries];

    /// <summary>The 429 answers by the limit that was full ("tenant 50/1s", "thread 8/2s", …).</summary>
    public IReadOnlyDictionary<string, ThrottleCause> ThrottleCauses => new Dictionary<string, ThrottleCause>(_causes, StringComparer.Ordinal);

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
        _deliveries.Clear();
        _causes.Clear();
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
        var stamp = ReleasedAt(context);
        var wait = TimeSpan.Zero;
        var full = new List<(string Limit, int Late)>();
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            var released = stamp ?? now;
            if (stamp is { } at)
            {
                _deliveries.Enqueue(new Delivery(now, (now - at).TotalMilliseconds));
            }

            if (!_threads.TryGetValue(thread, out var sent))
            {
                sent = new Queue<Arrival>();
                _threads[thread] = sent;
            }

            Check(_tenant, _options.TenantPerSecond, TimeSpan.FromSeconds(1), "tenant");
            foreach (var (count, window) in _options.ThreadWindows)
            {
                Check(sent, count, window, "thread");
            }

            if (full.Count == 0)
            {
                var arrival = new Arrival(now, released);
                _tenant.Enqueue(arrival);
                sent.Enqueue(arrival);
                Trim(_tenant, now, TimeSpan.FromSeconds(1));
                Trim(sent, now, _options.ThreadWindows.Max(w => w.Window));
                return null;
            }

            void Check(Queue<Arrival> log, int limit, TimeSpan window, string scope)
            {
                var inWindow = log.Where(a => a.At > now - window).ToList();
                if (inWindow.Count >= limit)
                {
                    wait = Max(wait, inWindow[inWindow.Count - limit].At + window - now);
                    // Counted here although released a whole window before this request: they left the sender's window, not this one.
                    full.Add((string.Create(CultureInfo.InvariantCulture, $"{scope} {limit}/{window.TotalSeconds:0.#}s"), inWindow.Count(a => a.Released <= released - window)));
                }
            }
        }

        Interlocked.Increment(ref _throttled);
        foreach (var (limit, late) in full)
        {
            _causes.AddOrUpdate(limit, _ => new ThrottleCause(1, late), (_, c) => new ThrottleCause(c.Answers + 1, c.LateArrivals + late));
        }

        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Results.Json(new { error = new { code = "TooManyRequests", message = "Too many requests" } }, statusCode: 429);
    }

    private static DateTimeOffset? ReleasedAt(HttpContext context) =>
        context.Request.Headers.TryGetValue(ReleasedHeader, out var value) && long.TryParse(value, CultureInfo.InvariantCulture, out var ticks)
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static void Trim(Queue<Arrival> log, DateTimeOffset now, TimeSpan keep)
    {
        while (log.Count > 0 && log.Peek().At <= now - keep)
        {
            log.Dequeue();
        }
    }

    private sealed record Arrival(DateTimeOffset At, DateTimeOffset Released);

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
