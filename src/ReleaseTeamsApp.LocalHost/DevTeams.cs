using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseTeamsApp.LocalHost;

/// <summary>
/// Local stand-in for Teams, for runs without a tenant: a connector that records what the bot posts
/// (/_dev/connector, used as the activities' serviceUrl) and endpoints that send Teams-shaped activities to
/// /api/messages as a given person (/_dev/say, /_dev/click). Only the local host has it.
/// </summary>
internal static class DevTeams
{
    public const string TenantId = "00000000-0000-0000-0000-00000000dev0";
    public const string TeamId = "19:dev-team@thread.tacv2";
    public const string ChannelId = "19:dev-team@thread.tacv2";

    private static readonly string[] People = ["alice", "bob", "carol", "dan", "erin", "frank", "grace", "heidi"];

    public static void Map(WebApplication app, string apiPrefix)
    {
        var log = new ConcurrentQueue<JsonObject>();
        var ids = 0;
        string NextId() => Interlocked.Increment(ref ids).ToString(CultureInfo.InvariantCulture);

        var connector = app.MapGroup("/_dev/connector");
        connector.MapPost("/v3/conversations", async (HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body);
            var id = NextId();
            var channel = body?["channelData"]?["channel"]?["id"]?.GetValue<string>() ?? ChannelId;
            Record(log, "create", channel, id, body);
            return Results.Ok(new { id = $"{channel};messageid={id}", activityId = id });
        });
        connector.MapGet("/v3/conversations/{conversationId}/members/{memberId}", (string memberId) =>
        {
            var user = memberId.StartsWith("29:", StringComparison.Ordinal) ? memberId[3..] : memberId;
            return Results.Ok(new { id = memberId, name = Name(user), aadObjectId = DeterministicGuid(user), email = $"{user}@contoso.example", userPrincipalName = $"{user}@contoso.example" });
        });
        connector.MapMethods("/v3/conversations/{conversationId}/activities/{activityId?}", ["POST", "PUT", "DELETE"], async (HttpRequest request, string conversationId, string? activityId) =>
        {
            var body = request.Method == "DELETE" ? null : await JsonNode.ParseAsync(request.Body);
            var id = request.Method == "POST" ? NextId() : activityId ?? NextId();
            Record(log, request.Method switch { "PUT" => "update", "DELETE" => "delete", _ => activityId is null ? "send" : "reply" }, conversationId, id, body);
            return Results.Ok(new { id });
        });
        // ?last=N limits to the newest N; ?text=1 prints one line per post (summary or text) for reading in a terminal.
        app.MapGet("/_dev/connector/activities", (int? last, string? text) =>
        {
            var entries = log.ToArray().TakeLast(last ?? int.MaxValue).ToArray();
            return text is "1" or "true"
                ? Results.Text(string.Join('\n', entries.Select(Line)) + '\n')
                : Results.Ok(entries);
        });

        app.MapGet("/_dev/releases/{version}", async (string version, ReleaseTeamsApp.Storage.IReleaseStore store, CancellationToken cancellationToken) =>
            await store.FindIdAsync(new ReleaseTeamsApp.Releases.ChannelKey(TenantId, TeamId, ChannelId), version, cancellationToken) is { } id
                ? Results.Text(id)
                : Results.NotFound($"No release {version} in the dev channel."));

        app.MapPost("/_dev/say", async (DevMessage message, HttpContext context, IHttpClientFactory clients) =>
        {
            var activity = Activity(context, message.User, message.Conversation);
            activity["type"] = "message";
            activity["text"] = $"<at>ReleaseBot</at> {message.Text}";
            activity["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["text"] = "<at>ReleaseBot</at>", ["mentioned"] = new JsonObject { ["id"] = "28:release-bot", ["name"] = "ReleaseBot" } });
            foreach (var mentioned in message.Mentions ?? [])
            {
                activity["text"] += $" <at>{Name(mentioned)}</at>";
                activity["entities"]!.AsArray().Add(new JsonObject { ["type"] = "mention", ["text"] = $"<at>{Name(mentioned)}</at>", ["mentioned"] = Account(mentioned) });
            }

            return await SendAsync(context, clients, apiPrefix, activity);
        });

        app.MapPost("/_dev/click", async (DevClick click, HttpContext context, IHttpClientFactory clients) =>
        {
            var activity = Activity(context, click.User, click.Conversation);
            activity["type"] = "invoke";
            activity["name"] = "adaptiveCard/action";
            var data = new JsonObject { ["release"] = click.Release, ["item"] = click.Item, ["phase"] = click.Phase, ["note"] = click.Note, ["evidence"] = click.Evidence };
            activity["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = click.Verb, ["data"] = data }, ["trigger"] = "manual" };
            return await SendAsync(context, clients, apiPrefix, activity);
        });

        app.MapPost("/_dev/install", async (HttpContext context, IHttpClientFactory clients) =>
        {
            var activity = Activity(context, "alice", null);
            activity["type"] = "installationUpdate";
            activity["action"] = "add";
            return await SendAsync(context, clients, apiPrefix, activity);
        });
    }

    private static string Line(JsonObject entry)
    {
        var activity = entry["activity"]?["activity"] ?? entry["activity"];
        var text = activity?["summary"]?.GetValue<string>() ?? activity?["text"]?.GetValue<string>()
            ?? activity?["attachments"]?[0]?["content"]?["body"]?[0]?["text"]?.GetValue<string>() ?? "";
        return $"{entry["operation"]} {entry["activityId"]}: {text.ReplaceLineEndings(" ")}";
    }

    private static void Record(ConcurrentQueue<JsonObject> log, string operation, string conversationId, string activityId, JsonNode? body) =>
        log.Enqueue(new JsonObject { ["operation"] = operation, ["conversationId"] = conversationId, ["activityId"] = activityId, ["activity"] = body?.DeepClone() });

    private static JsonObject Activity(HttpContext context, string? user, string? conversation)
    {
        var baseUrl = $"{context.Request.Scheme}://{context.Request.Host}";
        return new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString("N"),
            ["channelId"] = "msteams",
            // LocalHost:TeamsServiceUrl points the bot at another Teams stand-in (a slow or rate-limited connector in benchmarks).
            ["serviceUrl"] = context.RequestServices.GetRequiredService<IConfiguration>()["LocalHost:TeamsServiceUrl"] is { Length: > 0 } serviceUrl ? serviceUrl : $"{baseUrl}/_dev/connector/",
            ["timestamp"] = DateTimeOffset.UtcNow,
            ["from"] = Account(user ?? "alice"),
            ["recipient"] = new JsonObject { ["id"] = "28:release-bot", ["name"] = "ReleaseBot" },
            ["conversation"] = new JsonObject { ["id"] = conversation ?? ChannelId, ["conversationType"] = "channel", ["tenantId"] = TenantId, ["isGroup"] = true },
            ["channelData"] = new JsonObject
            {
                ["tenant"] = new JsonObject { ["id"] = TenantId },
                ["team"] = new JsonObject { ["id"] = TeamId, ["name"] = "Dev team" },
                ["channel"] = new JsonObject { ["id"] = ChannelId, ["name"] = "Releases" },
            },
        };
    }

    private static JsonObject Account(string user) => new() { ["id"] = $"29:{user}", ["name"] = Name(user), ["aadObjectId"] = DeterministicGuid(user) };

    private static string Name(string user) => People.Contains(user) ? char.ToUpperInvariant(user[0]) + user[1..] : user;

    private static string DeterministicGuid(string user) => new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user))[..16]).ToString();

    private static async Task<IResult> SendAsync(HttpContext context, IHttpClientFactory clients, string apiPrefix, JsonObject activity)
    {
        using var client = clients.CreateClient();
        using var response = await client.PostAsJsonAsync($"{context.Request.Scheme}://{context.Request.Host}{apiPrefix}/messages", activity, context.RequestAborted);
        var text = await response.Content.ReadAsStringAsync(context.RequestAborted);
        return Results.Content(text.Length == 0 ? JsonSerializer.Serialize(new { status = (int)response.StatusCode }) : text, "application/json", statusCode: (int)response.StatusCode);
    }

    private sealed record DevMessage(string Text, string? User, string? Conversation, string[]? Mentions);

    private sealed record DevClick(string Verb, string Release, string? Item, string? Phase, string? Note, string? Evidence, string? User, string? Conversation);
}
