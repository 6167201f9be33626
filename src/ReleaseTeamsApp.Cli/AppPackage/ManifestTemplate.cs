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
    public const string BotAppTypeName = "BOT_APP_TYPE";

    /// <summary>Filled from the other values, never read: webApplicationInfo.resource, the tab SSO app's Application ID URI.</summary>
    public const string SsoResourceName = "SSO_RESOURCE";

    /// <summary>What to run when the tab has no app registration of its own; the package refusal names it.</summary>
    public const string SsoRegistrationCommand = "scripts/tab-sso-app.sh";

    private static readonly HashSet<string> GuidValued = ["TEAMS_APP_ID", BotIdName, SsoAppIdName];

    public IReadOnlyList<string> Placeholders { get; } =
        [.. PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];

    /// <summary>Fills every placeholder; throws one error listing every missing or malformed value.</summary>
    public string Fill(PackageEnvironment environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var botAppType = environment.Get(BotAppTypeName) ?? "UserAssignedMSI";
        if (botAppType is not ("UserAssignedMSI" or "SingleTenant"))
        {
            problems.Add($"{BotAppTypeName} '{botAppType}' is neither UserAssignedMSI nor SingleTenant");
        }

        var botDoesSso = botAppType == "SingleTenant";
        foreach (var name in Placeholders)
        {
            var value = environment.Get(name);
            if (name == SsoResourceName || (value is null && name == SsoAppIdName && botDoesSso))
            {
                // Derived below; a SingleTenant bot's own app registration can expose the tab's API (SSO_APP_ID = BOT_ID).
                continue;
            }

            if (value is null && name == SsoAppIdName)
            {
                problems.Add(
                    $"{{{{{SsoAppIdName}}}}} has no value: the tab needs an app registration for SSO (a managed-identity bot cannot expose an API); " +
                    $"run `{SsoRegistrationCommand} {EnvironmentName(environment)}`, which creates it and sets SSO_APP_ID, then `azd provision`");
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

        if (botDoesSso && Placeholders.Contains(SsoAppIdName) && !values.ContainsKey(SsoAppIdName) && values.TryGetValue(BotIdName, out var botId))
        {
            values[SsoAppIdName] = botId;
        }

        if (Placeholders.Contains(SsoResourceName) && values.TryGetValue(SsoAppIdName, out var ssoAppId) && values.TryGetValue(HostName, out var host))
        {
            values[SsoResourceName] = SsoResource(host, ssoAppId, botDoesSso && values.GetValueOrDefault(BotIdName) == ssoAppId);
        }

        if (problems.Count > 0)
        {
            throw new AppPackageException(
                $"Cannot fill appPackage/manifest.json: {string.Join("; ", problems)}. " +
                $"Set them in {environment.FilePath} or as environment variables.");
        }

        return PlaceholderPattern().Replace(text, m => JsonEncodedText.Encode(values[m.Groups[1].Value]).ToString());
    }

    /// <summary>
    /// The tab SSO app's Application ID URI: api://{host}/{sso app id} for an app registration of its own, or Teams'
    /// bot form api://{host}/botid-{bot id} when the bot's own app registration does SSO.
    /// </summary>
    public static string SsoResource(string host, string ssoAppId, bool botsOwnApp) =>
        botsOwnApp ? $"api://{host}/botid-{ssoAppId}" : $"api://{host}/{ssoAppId}";

    private static string EnvironmentName(PackageEnvironment environment)
    {
        var file = Path.GetFileName(environment.FilePath);
        return file.StartsWith(".env.", StringComparison.Ordinal) ? file[".env.".Length..] : "<env>";
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
