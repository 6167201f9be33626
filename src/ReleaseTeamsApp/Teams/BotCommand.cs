using System.Globalization;

namespace ReleaseTeamsApp.Teams;

/// <summary>
/// What a person asked the bot, as the operation named by the message's first words read it. Operations with their own
/// arguments declare their own records next to them (e.g. a new release, an assignment).
/// </summary>
public abstract record BotCommand
{
    /// <summary>A command that needs nothing after its words (help, releases, templates, my items).</summary>
    public sealed record Plain : BotCommand;

    /// <summary>A command on one release (status, go/no-go, deploy, rollback, close, metrics, outbox, announce, links…).</summary>
    /// <param name="Reason">The text after --override, --force or --reason (an audited override or a rollback reason).</param>
    public sealed record Flow(string Name, string? Argument, string? Version, string? Reason = null) : BotCommand;

    /// <summary>The text could not be understood: what was wrong and the correct form.</summary>
    public sealed record Invalid(string Problem, string Usage) : BotCommand;
}

/// <summary>The rules every command's reading shares: how much is echoed back, dates, the new-release form people are pointed to.</summary>
internal static class BotCommandParser
{
    /// <summary>How much of what a person typed is quoted back in an error reply.</summary>
    public const int EchoLength = 60;

    // Usage is written as examples: Teams reads <word> in a message as markup and drops it.
    public const string NewReleaseUsage = "new release 2.5.0 on 2026-12-24 window 10:00-12:00 tz Europe/Berlin template web-app scope what ships (all after the date is optional)";

    /// <summary>The pattern a version must match, shared with the new-release form's Input.Text regex.</summary>
    public const string VersionRegex = @"^[0-9A-Za-z][0-9A-Za-z.\-+_]{0,39}$";

    /// <summary>The answer to text no operation declared.</summary>
    public static BotCommand.Invalid Unknown(string plain) => new($"I don't know the command \"{Echo(plain)}\".", "help");

    /// <summary>What a person typed, as quoted back in an error reply (at most <see cref="EchoLength"/> characters).</summary>
    public static string Echo(string text) => Shorten(text, EchoLength);

    public static string Shorten(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }

    /// <summary>A date as people type it: yyyy-MM-dd (single-digit month and day accepted).</summary>
    public static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, ["yyyy-MM-dd", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
