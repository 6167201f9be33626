using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace ReleaseTeamsApp.Graph;

public enum GraphMode
{
    /// <summary>Stores the exact requests on the outbox entries instead of calling Graph: nothing reaches a mailbox.</summary>
    Recording,

    Live,
}

/// <summary>How the app talks to Microsoft Graph (section "Graph").</summary>
public sealed class GraphOptions : IValidatableObject
{
    public const string Section = "Graph";

    /// <summary>Stands in for an unset mailbox in Recording mode, so a local run needs no configuration.</summary>
    public const string RecordingMailbox = "releases@recording.invalid";

    public GraphMode Mode { get; set; } = GraphMode.Recording;

    public string? SenderMailbox { get; set; }

    public string? OrganizerMailbox { get; set; }

    [Range(1, 50, ErrorMessage = "Graph:MaxAttempts must be between 1 and 50.")]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Local time (in the release's zone) of the retrospective when Graph finds no common free slot.</summary>
    public string RetrospectiveDefaultTime { get; set; } = "14:00";

    public Uri BaseUrl { get; set; } = new("https://graph.microsoft.com/v1.0");

    /// <summary>
    /// Mail domains stakeholder announcements may go to, comma-separated (the tenant's verified domains and partners you
    /// mean to mail). Empty: only the sender mailbox's domain. The corporate mailbox is no relay for any address.
    /// </summary>
    public string? AllowedRecipientDomains { get; set; }

    [Range(1, 1000, ErrorMessage = "Graph:MaxAnnouncementsPerPersonPerDay must be between 1 and 1000.")]
    public int MaxAnnouncementsPerPersonPerDay { get; set; } = 10;

    /// <summary>The domains of <see cref="AllowedRecipientDomains"/>, or the sender mailbox's when none are configured.</summary>
    public IReadOnlyList<string> RecipientDomains()
    {
        var configured = (AllowedRecipientDomains ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.TrimStart('@').ToLowerInvariant())
            .Where(d => d.Length > 0)
            .ToList();
        return configured.Count > 0 ? configured : [Sender[(Sender.LastIndexOf('@') + 1)..].ToLowerInvariant()];
    }

    /// <summary>True when <paramref name="address"/> is in one of <see cref="RecipientDomains"/> (exactly; subdomains are domains of their own).</summary>
    public bool AllowsRecipient(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        return at > 0 && RecipientDomains().Contains(address[(at + 1)..].Trim().ToLowerInvariant(), StringComparer.Ordinal);
    }

    /// <summary>
    /// One sentence naming the addresses that are not mailed because they are outside <see cref="RecipientDomains"/>,
    /// and what to do about it; null when there are none. The addresses themselves stay stored on the release.
    /// </summary>
    public string? LeftOutNotice(IReadOnlyCollection<string> addresses, string what)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return addresses.Count == 0
            ? null
            : $"{string.Join(", ", addresses)} {(addresses.Count == 1 ? "gets" : "get")} no {what}: outside the mail domains this app may mail ({string.Join(", ", RecipientDomains())}). " +
              "They stay on the release; to include them, ask your admin to add their domain to Graph__AllowedRecipientDomains.";
    }

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Graph:RequestTimeout must be between 00:00:01 and 00:05:00.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public string Sender => string.IsNullOrWhiteSpace(SenderMailbox) ? RecordingMailbox : SenderMailbox.Trim();

    public string Organizer => string.IsNullOrWhiteSpace(OrganizerMailbox) ? RecordingMailbox : OrganizerMailbox.Trim();

    /// <summary>The parsed <see cref="RetrospectiveDefaultTime"/>; validation on start reports a value that does not parse.</summary>
    public TimeOnly DefaultRetrospectiveTime =>
        TimeOnly.TryParseExact(RetrospectiveDefaultTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : new TimeOnly(14, 0);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == GraphMode.Live)
        {
            if (!IsMailbox(SenderMailbox))
            {
                yield return new ValidationResult("Set Graph:SenderMailbox (Graph__SenderMailbox) to the mailbox the announcements are sent from, e.g. releases@contoso.com.", [nameof(SenderMailbox)]);
            }

            if (!IsMailbox(OrganizerMailbox))
            {
                yield return new ValidationResult("Set Graph:OrganizerMailbox (Graph__OrganizerMailbox) to the mailbox that organises the retrospective, e.g. releases@contoso.com.", [nameof(OrganizerMailbox)]);
            }
        }

        if (!TimeOnly.TryParseExact(RetrospectiveDefaultTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            yield return new ValidationResult($"Graph:RetrospectiveDefaultTime must be a time like 14:00, not \"{RetrospectiveDefaultTime}\".", [nameof(RetrospectiveDefaultTime)]);
        }

        if (RecipientDomains().FirstOrDefault(d => d.Contains('@', StringComparison.Ordinal) || d.Contains(' ', StringComparison.Ordinal) || !d.Contains('.', StringComparison.Ordinal)) is { } domain)
        {
            yield return new ValidationResult($"Graph:AllowedRecipientDomains (Graph__AllowedRecipientDomains) must list mail domains separated by commas, e.g. contoso.com, fabrikam.com; \"{domain}\" is not a domain.", [nameof(AllowedRecipientDomains)]);
        }

        if (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttps && !BaseUrl.IsLoopback))
        {
            yield return new ValidationResult($"Graph:BaseUrl must be an https URL such as https://graph.microsoft.com/v1.0, not \"{BaseUrl}\".", [nameof(BaseUrl)]);
        }
    }

    private static bool IsMailbox(string? value) => !string.IsNullOrWhiteSpace(value) && value.Contains('@', StringComparison.Ordinal);
}
