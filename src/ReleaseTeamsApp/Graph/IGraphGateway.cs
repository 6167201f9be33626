namespace ReleaseTeamsApp.Graph;

/// <summary>A calendar event to create in the organizer mailbox, with a Teams meeting.</summary>
public sealed record EventDraft(string Subject, string BodyHtml, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<Invitee> Attendees, Guid TransactionId);

public sealed record MailDraft(string Subject, string BodyHtml, IReadOnlyList<string> To);

/// <summary>What a write produced; in Recording mode <see cref="Recorded"/> holds the requests instead of them being sent.</summary>
public sealed record GraphWriteResult(string? EventId, string? JoinUrl, string? WebLink, IReadOnlyList<RecordedHttpRequest> Recorded)
{
    public bool IsRecorded => Recorded.Count > 0;
}

/// <summary>An HTTP request exactly as it would have gone to Graph, minus the Authorization header.</summary>
public sealed record RecordedHttpRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers, string? Body);

/// <summary>The outcome of looking up a person by UPN or email.</summary>
public abstract record PersonLookup;

internal sealed record ResolvedPerson(string Id, string DisplayName, string? Mail) : PersonLookup;

/// <summary>The directory does not know the address; <see cref="Message"/> is meant for the person who typed it.</summary>
internal sealed record UnknownAddress(string Address, string Message) : PersonLookup;

/// <summary>
/// A Graph call failed. <see cref="IsTransient"/>: 429, 5xx, timeouts and network errors, worth retrying
/// (after <see cref="RetryAfter"/> when Graph said so); anything else will fail the same way again.
/// </summary>
internal sealed class GraphRequestException(string message, int? status, TimeSpan? retryAfter, bool isTransient, Exception? inner = null)
    : Exception(message, inner)
{
    public int? Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public bool IsTransient { get; } = isTransient;
}

/// <summary>Microsoft Graph as the app uses it: the one I/O boundary to Graph. Failures are <see cref="GraphRequestException"/>.</summary>
public interface IGraphGateway
{
    /// <summary>POST /users/{organizer}/events with isOnlineMeeting and the transactionId Graph dedupes retries by.</summary>
    Task<GraphWriteResult> CreateEventAsync(string organizer, EventDraft draft, CancellationToken cancellationToken);

    /// <summary>PATCH only the body of an existing event: attendees are not re-invited.</summary>
    Task<GraphWriteResult> UpdateEventBodyAsync(string organizer, string eventId, string bodyHtml, CancellationToken cancellationToken);

    /// <summary>POST /users/{organizer}/findMeetingTimes: the first slot in the window all attendees can make, or null.</summary>
    Task<DateTimeOffset?> FindMeetingTimeAsync(string organizer, IReadOnlyList<Invitee> attendees, DateTimeOffset windowStart, DateTimeOffset windowEnd, TimeSpan duration, CancellationToken cancellationToken);

    Task<GraphWriteResult> SendMailAsync(string sender, MailDraft mail, CancellationToken cancellationToken);

    /// <summary>GET /users/{upn}; an address Graph does not know is an <see cref="UnknownAddress"/>, not an exception.</summary>
    Task<PersonLookup> ResolvePersonAsync(string emailOrUpn, CancellationToken cancellationToken);
}
