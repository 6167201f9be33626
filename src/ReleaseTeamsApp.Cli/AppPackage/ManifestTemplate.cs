using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReleaseTeamsApp.Cli.AppPackage;

/// <summary>appPackage/manifest.json with {{NAME}} placeholders, and the rules for the values that fill them.</summary>
internal sealed partial class ManifestTemplate(string text)
{
    public const string SsoAppIdName = "SSO_APP_ID";
    public const string BotIdName = "BOT_ID";
    public const string HostName = "HOST_NAME";

    private static readonly HashSet<string> GuidValued = ["TEAMS_APP_ID", BotIdName, SsoAppIdName];

    public IReadOnlyList<string> Placeholders { get; } =
        [.. PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];

    /// <summary>Fills every placeholder; throws one error listing every missing or malformed value.</summary>
    public string Fill(PackageEnvironment environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var name in Placeholders)
        {
            var value = environment.Get(name);
            if (value is null && name == SsoAppIdName)
            {
                // Tab SSO usually uses the bot's own app registration; filled from BOT_ID below.
                continue;
            }

            var problem = value is null ? $"{{{{{name}}}}} has no value" : Check(name, value);
            if (problem is null)
            {
                values[name] = value!;
            }
            else
            {
                problems.Add(problem);
            }
        }

        if (Placeholders.Contains(SsoAppIdName) && !values.ContainsKey(SsoAppIdName) && values.TryGetValue(BotIdName, out var botId))
        {
            values[SsoAppIdName] = botId;
        }

        if (problems.Count > 0)
        {
            throw new AppPackageException(
                $"Cannot fill appPackage/manifest.json: {string.Join("; ", problems)}. " +
                $"Set them in {environment.FilePath} or as environment variables.");
        }

        return PlaceholderPattern().Replace(text, m => JsonEncodedText.Encode(values[m.Groups[1].Value]).ToString());
    }

    private static string? Check(string name, string value)
    {
        if (GuidValued.Contains(name) && !Guid.TryParseExact(value, "D", out _))
        {
            return $"{name} '{value}' is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)";
        }

        if (name == HostName && !IsHost(value))
        {
            return $"{name} '{value}' is not a host name (give the host only, e.g. func-release.azurewebsites.net, without https:// or a path)";
        }

        return null;
    }

    private static bool IsHost(string value)
    {
        var parts = value.Split(':');
        return parts.Length <= 2
            && Uri.CheckHostName(parts[0]) is UriHostNameType.Dns or UriHostNameType.IPv4
            && (parts.Length == 1 || ushort.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _));
    }

    [GeneratedRegex(@"\{\{([A-Z][A-Z0-9_]*)\}\}")]
    private static partial Regex PlaceholderPattern();
}
