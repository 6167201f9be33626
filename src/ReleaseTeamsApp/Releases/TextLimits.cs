using System.Globalization;

namespace ReleaseTeamsApp.Releases;

/// <summary>
/// How long each free text may be, in one place: commands, card actions and the template loader refuse longer ones
/// with <see cref="TooLong"/> and store nothing, so a card stays within Teams' size limit and a release row within Table Storage's.
/// </summary>
internal static class TextLimits
{
    public const int Version = 40;

    public const int Scope = 1_000;

    /// <summary>Reasons (block, no-go, rollback, override, forced close), vote comments and item notes.</summary>
    public const int Reason = 500;

    /// <summary>Evidence links are shown whole on the cards; longer ones would eat the card's size budget.</summary>
    public const int EvidenceLink = 150;

    /// <summary>Any other link a person or a template gives.</summary>
    public const int Link = 2_000;

    /// <summary>Names of people, teams, templates and roles as they are shown.</summary>
    public const int Name = 100;

    /// <summary>A checklist item's text or a phase or section title of a template.</summary>
    public const int TemplateText = 300;

    /// <summary>A template's purpose, a phase description, the Release Manager duties' intro.</summary>
    public const int TemplateDescription = 1_000;

    /// <summary>An email address (RFC 5321 path limit).</summary>
    public const int Email = 254;

    /// <summary>
    /// The release row's JSON: a Table Storage string property holds 64 KiB (32 K UTF-16 characters); past this the
    /// release is refused a change rather than broken.
    /// </summary>
    public const int ReleaseRowCharacters = 30_000;

    /// <summary>"Scope is 100,000 characters; keep it to 1,000 at most." — null when <paramref name="text"/> fits.</summary>
    public static string? TooLong(string what, string? text, int max)
    {
        ArgumentNullException.ThrowIfNull(what);
        return text is { } value && value.Length > max
            ? string.Create(CultureInfo.InvariantCulture, $"{what} is {value.Length:N0} characters; keep it to {max:N0} at most.")
            : null;
    }

    /// <summary>A name from Teams shortened to what is shown (a display name is not refused, it is clipped).</summary>
    public static string ClipName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length <= Name ? name : name[..(Name - 1)] + "…";
    }
}
