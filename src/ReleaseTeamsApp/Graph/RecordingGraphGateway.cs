using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Kiota.Abstractions.Authentication;

namespace ReleaseTeamsApp.Graph;

/// <summary>
/// Recording mode (local runs): the real Graph SDK builds every request, but a handler stores it instead of sending it
/// and answers with plausible fakes (event ids and join links marked "recorded", people derived from their address).
/// </summary>
internal sealed class RecordingGraphGateway : IGraphGateway
{
    private readonly AsyncLocal<List<RecordedHttpRequest>?> _capture = new();
    private readonly GraphGateway _inner;

    public RecordingGraphGateway(GraphOptions options, TimeProvider time)
    {
        // No credential: a recorded request carries no Authorization header at all.
        _inner = new GraphGateway(GraphGateway.CreateClient(options, new AnonymousAuthenticationProvider(), new RecordingHandler(_capture)), time);
    }

    public Task<GraphWriteResult> CreateEventAsync(string organizer, EventDraft draft, CancellationToken cancellationToken) =>
        RecordAsync(() => _inner.CreateEventAsync(organizer, draft, cancellationToken));

    public Task<GraphWriteResult> UpdateEventBodyAsync(string organizer, string eventId, string bodyHtml, CancellationToken cancellationToken) =>
        RecordAsync(() => _inner.UpdateEventBodyAsync(organizer, eventId, bodyHtml, cancellationToken));

    public Task<DateTimeOffset?> FindMeetingTimeAsync(
        string organizer, IReadOnlyList<Invitee> attendees, DateTimeOffset windowStart, DateTimeOffset windowEnd, TimeSpan duration, CancellationToken cancellationToken) =>
        _inner.FindMeetingTimeAsync(organizer, attendees, windowStart, windowEnd, duration, cancellationToken);

    public Task<GraphWriteResult> SendMailAsync(string sender, MailDraft mail, CancellationToken cancellationToken) =>
        RecordAsync(() => _inner.SendMailAsync(sender, mail, cancellationToken));

    /// <summary>Local only: resolves every address to a deterministic fake person (id from a hash, name from the local part).</summary>
    public Task<PersonLookup> ResolvePersonAsync(string emailOrUpn, CancellationToken cancellationToken) => _inner.ResolvePersonAsync(emailOrUpn, cancellationToken);

    private async Task<GraphWriteResult> RecordAsync(Func<Task<GraphWriteResult>> write)
    {
        var recorded = new List<RecordedHttpRequest>();
        _capture.Value = recorded;
        try
        {
            var result = await write();
            return result with { Recorded = recorded };
        }
        finally
        {
            _capture.Value = null;
        }
    }

    /// <summary>Stores what the SDK would send and answers like Graph would.</summary>
    private sealed class RecordingHandler(AsyncLocal<List<RecordedHttpRequest>?> capture) : HttpMessageHandler
    {

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .Where(h => !string.Equals(h.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
            capture.Value?.Add(new RecordedHttpRequest(request.Method.Method, request.RequestUri!.ToString(), headers, body));
            return Answer(request, body);
        }

        private static HttpResponseMessage Answer(HttpRequestMessage request, string? body)
        {
            var path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath);
            if (request.Method == HttpMethod.Post && path.EndsWith("/sendMail", StringComparison.OrdinalIgnoreCase))
            {
                return new HttpResponseMessage(HttpStatusCode.Accepted);
            }

            if (request.Method == HttpMethod.Post && path.EndsWith("/findMeetingTimes", StringComparison.OrdinalIgnoreCase))
            {
                // No free/busy data locally: the retrospective falls back to the configured default time.
                return Json(new JsonObject { ["emptySuggestionsReason"] = "recording", ["meetingTimeSuggestions"] = new JsonArray() });
            }

            if (request.Method == HttpMethod.Post && path.EndsWith("/events", StringComparison.OrdinalIgnoreCase))
            {
                var sent = JsonNode.Parse(body ?? "{}")!.AsObject();
                var id = "recorded-" + Hash(sent["transactionId"]?.GetValue<string>() ?? body ?? "");
                sent["id"] = id;
                sent["webLink"] = $"https://outlook.office.com/calendar/item/{id}";
                sent["onlineMeeting"] = new JsonObject { ["joinUrl"] = $"https://teams.microsoft.com/l/meetup-join/{id}" };
                return Json(sent, HttpStatusCode.Created);
            }

            if (request.Method == HttpMethod.Patch)
            {
                var id = path[(path.LastIndexOf('/') + 1)..];
                return Json(new JsonObject { ["id"] = id });
            }

            if (request.Method == HttpMethod.Get && path.EndsWith("/users", StringComparison.OrdinalIgnoreCase))
            {
                // The mail-address search after a UPN miss: nobody else has it either.
                return Json(new JsonObject { ["value"] = new JsonArray() });
            }

            if (request.Method == HttpMethod.Get && path.Contains("/users/", StringComparison.OrdinalIgnoreCase))
            {
                var address = path[(path.LastIndexOf('/') + 1)..];

                // The reserved .invalid domain (RFC 2606) can never exist, so local runs and tests can try an unknown person.
                return address.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase)
                    ? new HttpResponseMessage(HttpStatusCode.NotFound)
                    {
                        Content = new StringContent("""{"error":{"code":"Request_ResourceNotFound","message":"Resource does not exist."}}""", Encoding.UTF8, "application/json"),
                    }
                    : Json(FakePerson(address));
            }

            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }

        private static JsonObject FakePerson(string address)
        {
            if (Guid.TryParse(address, out var objectId))
            {
                // Looked up by Entra object id (the people picker): the same id back, a name made from it.
                var id = objectId.ToString();
                return new JsonObject { ["id"] = id, ["displayName"] = "Person " + id[..8], ["mail"] = null, ["userPrincipalName"] = id[..8] + "@recording.invalid" };
            }

            var local = address.Split('@')[0];
            var name = string.Join(' ', local.Split('.', '_', '-').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(address.ToLowerInvariant()));
            return new JsonObject
            {
                ["id"] = new Guid(hash.AsSpan(0, 16)).ToString(),
                ["displayName"] = name.Length > 0 ? name : address,
                ["mail"] = address,
                ["userPrincipalName"] = address,
            };
        }

        private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));

        private static HttpResponseMessage Json(JsonObject json, HttpStatusCode status = HttpStatusCode.OK) => new(status)
        {
            Content = new StringContent(json.ToJsonString(JsonSerializerOptions.Default), Encoding.UTF8, "application/json"),
        };
    }
}
