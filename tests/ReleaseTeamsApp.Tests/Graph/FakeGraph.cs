using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions.Authentication;
using ReleaseTeamsApp.Graph;

namespace ReleaseTeamsApp.Tests.Graph;

/// <summary>What the fake Graph received, as the SDK put it on the wire.</summary>
public sealed record GraphRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A scripted answer for the next request whose path ends with <see cref="PathSuffix"/>.</summary>
public sealed record ScriptedAnswer(string PathSuffix, int Status, string? Body = null, string? RetryAfter = null, TimeSpan Delay = default, Task? Until = null);

/// <summary>
/// Microsoft Graph on 127.0.0.1:0 (Kestrel), behaving like Graph where the tests need it: events are deduplicated by
/// transactionId, sendMail answers 202, findMeetingTimes answers <see cref="Suggestion"/>, users are looked up in <see cref="Users"/>.
/// </summary>
public sealed class FakeGraph : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _eventsByTransaction = new();
    private readonly List<ScriptedAnswer> _script = [];

    private FakeGraph(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<GraphRequest> Requests { get; } = new();

    public DateTimeOffset? Suggestion { get; set; }

    /// <summary>How many distinct events exist in the fake organizer calendar.</summary>
    public int EventCount => _eventsByTransaction.Count;

    public Dictionary<string, (string Id, string Name)> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<GraphRequest> To(string method, string pathSuffix) =>
        Requests.Where(r => r.Method == method && r.Target.Split('?')[0].EndsWith(pathSuffix, StringComparison.Ordinal));

    public IEnumerable<GraphRequest> EventCreates => Requests.Where(r => r.Method == "POST" && r.Target.Split('?')[0].EndsWith("/events", StringComparison.Ordinal));

    public void Then(ScriptedAnswer answer)
    {
        lock (_script)
        {
            _script.Add(answer);
        }
    }

    public static async Task<FakeGraph> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var graph = new FakeGraph(app);
        app.Run(graph.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        graph.BaseUrl = new Uri(address.TrimEnd('/') + "/v1.0");
        return graph;
    }

    /// <summary>A gateway over the real Graph SDK pointed at this fake, authenticating with a fixed bearer token.</summary>
    public GraphGateway Gateway(GraphOptions options, TimeProvider time)
    {
        options.BaseUrl = BaseUrl;
        return new GraphGateway(GraphGateway.CreateClient(options, new BaseBearerTokenAuthenticationProvider(new FixedToken())), time);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new GraphRequest(context.Request.Method, context.Features.Get<IHttpRequestFeature>()!.RawTarget, headers, body);
        Requests.Enqueue(request);
        var path = Uri.UnescapeDataString(request.Target.Split('?')[0]);
        if (request.Method == "POST" && path.EndsWith("/events", StringComparison.Ordinal))
        {
            // Graph creates the event before it answers: a lost answer still leaves the event behind.
            _eventsByTransaction.GetOrAdd(request.Json["transactionId"]!.GetValue<string>(), _ => "AAMk-" + Guid.NewGuid().ToString("N")[..12]);
        }

        ScriptedAnswer? scripted;
        lock (_script)
        {
            scripted = _script.FirstOrDefault(s => path.EndsWith(s.PathSuffix, StringComparison.Ordinal));
            if (scripted is not null)
            {
                _script.Remove(scripted);
            }
        }

        if (scripted is not null)
        {
            if (scripted.Delay > TimeSpan.Zero)
            {
                await Task.Delay(scripted.Delay, context.RequestAborted);
            }

            if (scripted.Until is not null)
            {
                await scripted.Until.WaitAsync(context.RequestAborted);
            }

            if (scripted.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = scripted.RetryAfter;
            }

            await WriteAsync(context, scripted.Status, scripted.Body ?? (scripted.Status >= 400 ? Error(scripted.Status) : null));
            return;
        }

        if (request.Method == "POST" && path.EndsWith("/events", StringComparison.Ordinal))
        {
            // Graph's transactionId contract: a second create with the same id returns the first event.
            var sent = request.Json;
            var id = _eventsByTransaction.GetOrAdd(sent["transactionId"]!.GetValue<string>(), _ => "AAMk-" + Guid.NewGuid().ToString("N")[..12]);
            sent["id"] = id;
            sent["webLink"] = "https://outlook.office365.com/owa/?itemid=" + id;
            sent["onlineMeeting"] = new JsonObject { ["joinUrl"] = "https://teams.microsoft.com/l/meetup-join/" + id };
            await WriteAsync(context, 201, sent.ToJsonString());
        }
        else if (request.Method == "POST" && path.EndsWith("/findMeetingTimes", StringComparison.Ordinal))
        {
            var suggestions = new JsonArray();
            if (Suggestion is { } start)
            {
                suggestions.Add(new JsonObject
                {
                    ["confidence"] = 100,
                    ["meetingTimeSlot"] = new JsonObject
                    {
                        ["start"] = new JsonObject { ["dateTime"] = start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.0000000", System.Globalization.CultureInfo.InvariantCulture), ["timeZone"] = "UTC" },
                        ["end"] = new JsonObject { ["dateTime"] = start.UtcDateTime.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ss.0000000", System.Globalization.CultureInfo.InvariantCulture), ["timeZone"] = "UTC" },
                    },
                });
            }

            await WriteAsync(context, 200, new JsonObject { ["meetingTimeSuggestions"] = suggestions, ["emptySuggestionsReason"] = "" }.ToJsonString());
        }
        else if (request.Method == "POST" && path.EndsWith("/sendMail", StringComparison.Ordinal))
        {
            await WriteAsync(context, 202, null);
        }
        else if (request.Method == "PATCH")
        {
            await WriteAsync(context, 200, new JsonObject { ["id"] = path[(path.LastIndexOf('/') + 1)..] }.ToJsonString());
        }
        else if (request.Method == "GET" && path.EndsWith("/users", StringComparison.Ordinal))
        {
            await WriteAsync(context, 200, """{"value":[]}""");
        }
        else if (request.Method == "GET" && Users.TryGetValue(path[(path.LastIndexOf('/') + 1)..], out var user))
        {
            var upn = path[(path.LastIndexOf('/') + 1)..];
            await WriteAsync(context, 200, new JsonObject { ["id"] = user.Id, ["displayName"] = user.Name, ["mail"] = upn }.ToJsonString());
        }
        else
        {
            await WriteAsync(context, 404, """{"error":{"code":"Request_ResourceNotFound","message":"Resource does not exist."}}""");
        }
    }

    private static string Error(int status) => status switch
    {
        429 => """{"error":{"code":"TooManyRequests","message":"Application is over its MailboxConcurrency limit."}}""",
        403 => """{"error":{"code":"ErrorAccessDenied","message":"Access is denied. Check credentials and try again."}}""",
        _ => """{"error":{"code":"ServiceUnavailable","message":"The service is temporarily unavailable."}}""",
    };

    private static async Task WriteAsync(HttpContext context, int status, string? json)
    {
        context.Response.StatusCode = status;
        if (json is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
        }
    }

    private sealed class FixedToken : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult("test-token");
    }
}
