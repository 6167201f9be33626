using System.Globalization;
using System.Net.Http.Headers;
using Azure.Core;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.FindMeetingTimes;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace ReleaseTeamsApp.Graph;

/// <summary>Microsoft Graph through the Graph SDK. Retries are the outbox's job, so the SDK's retry handler is left out.</summary>
public sealed class GraphGateway(GraphServiceClient client, TimeProvider time) : IGraphGateway
{
    private const string UtcPreference = "outlook.timezone=\"UTC\"";

    public async Task<GraphWriteResult> CreateEventAsync(string organizer, EventDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var request = new Event
        {
            Subject = draft.Subject,
            Body = Html(draft.BodyHtml),
            Start = Utc(draft.Start),
            End = Utc(draft.End),
            Attendees = draft.Attendees.Select(a => new Attendee { EmailAddress = Address(a.Email, a.Name), Type = AttendeeType.Required }).ToList(),
            IsOnlineMeeting = true,
            OnlineMeetingProvider = OnlineMeetingProviderType.TeamsForBusiness,
            AllowNewTimeProposals = true,
            TransactionId = draft.TransactionId.ToString(),
        };
        var created = await CallAsync(
            () => client.Users[organizer].Events.PostAsync(request, r => r.Headers.Add("Prefer", UtcPreference), cancellationToken),
            "create the retrospective event");
        return new GraphWriteResult(created?.Id, created?.OnlineMeeting?.JoinUrl, created?.WebLink, []);
    }

    public async Task<GraphWriteResult> UpdateEventBodyAsync(string organizer, string eventId, string bodyHtml, CancellationToken cancellationToken)
    {
        var patch = new Event { Body = Html(bodyHtml) };
        var updated = await CallAsync(() => client.Users[organizer].Events[eventId].PatchAsync(patch, cancellationToken: cancellationToken), "update the retrospective agenda");
        return new GraphWriteResult(updated?.Id ?? eventId, updated?.OnlineMeeting?.JoinUrl, updated?.WebLink, []);
    }

    public async Task<DateTimeOffset?> FindMeetingTimeAsync(
        string organizer, IReadOnlyList<Invitee> attendees, DateTimeOffset windowStart, DateTimeOffset windowEnd, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attendees);
        var request = new FindMeetingTimesPostRequestBody
        {
            Attendees = attendees.Select(a => new AttendeeBase { EmailAddress = Address(a.Email, a.Name), Type = AttendeeType.Required }).ToList(),
            TimeConstraint = new TimeConstraint
            {
                ActivityDomain = ActivityDomain.Work,
                TimeSlots = [new TimeSlot { Start = Utc(windowStart), End = Utc(windowEnd) }],
            },
            MeetingDuration = duration,
            MaxCandidates = 5,
            IsOrganizerOptional = false,
            ReturnSuggestionReasons = true,
            MinimumAttendeePercentage = 100,
        };
        var result = await CallAsync(
            () => client.Users[organizer].FindMeetingTimes.PostAsync(request, r => r.Headers.Add("Prefer", UtcPreference), cancellationToken),
            "find a time for the retrospective");
        return result?.MeetingTimeSuggestions?
            .Select(s => ParseUtc(s.MeetingTimeSlot?.Start))
            .Where(start => start is { } value && value >= windowStart && value + duration <= windowEnd)
            .Order()
            .FirstOrDefault();
    }

    public async Task<GraphWriteResult> SendMailAsync(string sender, MailDraft mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var request = new SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = mail.Subject,
                Body = Html(mail.BodyHtml),
                ToRecipients = mail.To.Select(to => new Recipient { EmailAddress = Address(to, null) }).ToList(),
            },
            SaveToSentItems = true,
        };
        await CallAsync(async () =>
        {
            await client.Users[sender].SendMail.PostAsync(request, cancellationToken: cancellationToken);
            return true;
        }, "send the announcement");
        return new GraphWriteResult(null, null, null, []);
    }

    public async Task<PersonLookup> ResolvePersonAsync(string emailOrUpn, CancellationToken cancellationToken)
    {
        string[] fields = ["id", "displayName", "mail", "userPrincipalName"];
        try
        {
            var user = await client.Users[emailOrUpn].GetAsync(r => r.QueryParameters.Select = fields, cancellationToken);
            if (user?.Id is not null)
            {
                return new ResolvedPerson(user.Id, user.DisplayName ?? emailOrUpn, user.Mail);
            }
        }
        catch (ApiException ex) when (ex.ResponseStatusCode == 404)
        {
            // Not a UPN: the address may still be someone's primary mail address.
        }
        catch (ApiException ex)
        {
            throw Translate(ex, "look up " + emailOrUpn);
        }

        var matches = await CallAsync(
            () => client.Users.GetAsync(r =>
            {
                r.QueryParameters.Filter = $"mail eq '{emailOrUpn.Replace("'", "''", StringComparison.Ordinal)}'";
                r.QueryParameters.Select = fields;
                r.QueryParameters.Top = 1;
            }, cancellationToken),
            "look up " + emailOrUpn);
        return matches?.Value?.FirstOrDefault(u => u.Id is not null) is { } match
            ? new ResolvedPerson(match.Id!, match.DisplayName ?? emailOrUpn, match.Mail)
            : new UnknownAddress(emailOrUpn, $"Nobody in your organization has the address {emailOrUpn}. Check the spelling, or use the person's sign-in name (UPN).");
    }

    /// <summary>The production client: Azure.Identity credential, Graph's middleware minus its retry handler.</summary>
    internal static GraphServiceClient CreateClient(GraphOptions options, IAuthenticationProvider authentication, HttpMessageHandler? finalHandler = null)
    {
        var handlers = GraphClientFactory.CreateDefaultHandlers().Where(h => h is not RetryHandler).ToList();
        var http = GraphClientFactory.Create(handlers, finalHandler: finalHandler);
        http.Timeout = options.RequestTimeout;
        return new GraphServiceClient(http, authentication, options.BaseUrl.ToString().TrimEnd('/'));
    }

    /// <summary>A user-assigned managed identity when AZURE_CLIENT_ID is set (the Function App), otherwise whatever DefaultAzureCredential finds.</summary>
    internal static IAuthenticationProvider CreateAuthentication(string? managedIdentityClientId)
    {
        TokenCredential credential = string.IsNullOrWhiteSpace(managedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId));
        return new AzureIdentityAuthenticationProvider(credential, scopes: ["https://graph.microsoft.com/.default"]);
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (ApiException ex)
        {
            throw Translate(ex, what);
        }
        catch (HttpRequestException ex)
        {
            throw new GraphRequestException($"Could not reach Microsoft Graph to {what}: {ex.Message}", null, null, isTransient: true, ex);
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            throw new GraphRequestException($"Microsoft Graph did not answer in time to {what}.", null, null, isTransient: true, ex);
        }
    }

    private GraphRequestException Translate(ApiException ex, string what)
    {
        var status = ex.ResponseStatusCode;
        var detail = ex is ODataError { Error.Message: { Length: > 0 } message } ? message : ex.Message;
        var code = ex is ODataError { Error.Code: { Length: > 0 } errorCode } ? $" ({errorCode})" : "";
        var transient = status is 408 or 429 || status >= 500;
        return new GraphRequestException($"Graph answered {status}{code} to the request to {what}: {detail}", status, RetryAfter(ex), transient, ex);
    }

    private TimeSpan? RetryAfter(ApiException ex)
    {
        var header = ex.ResponseHeaders.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        if (header is null || !RetryConditionHeaderValue.TryParse(header, out var value))
        {
            return null;
        }

        // An HTTP date is relative to when Graph answered, which is (close enough to) now.
        return value.Delta ?? (value.Date is { } date ? date - time.GetUtcNow() : null);
    }

    private static ItemBody Html(string html) => new() { ContentType = BodyType.Html, Content = html };

    private static EmailAddress Address(string email, string? name) => new() { Address = email, Name = name };

    private static DateTimeTimeZone Utc(DateTimeOffset at) =>
        new() { DateTime = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), TimeZone = "UTC" };

    private static DateTimeOffset? ParseUtc(DateTimeTimeZone? value) =>
        value?.DateTime is { } text && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            ? new DateTimeOffset(parsed, TimeSpan.Zero)
            : null;
}
