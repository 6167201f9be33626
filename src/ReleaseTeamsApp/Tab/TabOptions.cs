using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ReleaseTeamsApp.Tab;

/// <summary>The release tab's API: who may call it (Teams SSO audience) and the local-only development bypass.</summary>
public sealed class TabOptions
{
    public const string Section = "Tab";

    public const string DefaultOpenIdMetadataUrl = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration";

    /// <summary>The tab SSO app's Application ID URI (api://host/botid-{client id}); the expected audience of SSO tokens.</summary>
    public string? AppIdUri { get; set; }

    public Uri OpenIdMetadataUrl { get; set; } = new(DefaultOpenIdMetadataUrl);

    /// <summary>Local runs only: no token, the tenant comes from the query string. Refused when any app id is configured.</summary>
    public bool AllowDevelopmentBypass { get; set; }

    /// <summary>
    /// v1 tokens carry the Application ID URI as audience, v2 tokens (requestedAccessTokenVersion 2) the client id,
    /// which is the GUID the URI ends with (…/botid-{guid}).
    /// </summary>
    public IReadOnlyList<string> Audiences()
    {
        if (string.IsNullOrWhiteSpace(AppIdUri))
        {
            return [];
        }

        var uri = AppIdUri.Trim().TrimEnd('/');
        var last = uri[(uri.LastIndexOf('/') + 1)..];
        var clientId = last.StartsWith("botid-", StringComparison.OrdinalIgnoreCase) ? last["botid-".Length..] : last;
        return Guid.TryParse(clientId, out _) ? [uri, clientId] : [uri];
    }
}

/// <summary>Makes the development bypass impossible to enable next to a real identity, so a misconfigured deployment fails at startup.</summary>
internal sealed class TabOptionsValidation(IConfiguration configuration) : IValidateOptions<TabOptions>
{
    public ValidateOptionsResult Validate(string? name, TabOptions options)
    {
        var failures = new List<string>();
        if (options.AllowDevelopmentBypass)
        {
            var configured = new[] { ("MicrosoftAppId", configuration["MicrosoftAppId"]), ("Tab:AppIdUri", options.AppIdUri) }
                .Where(s => !string.IsNullOrWhiteSpace(s.Item2))
                .Select(s => s.Item1)
                .ToList();
            if (configured.Count > 0)
            {
                failures.Add(
                    $"Tab:AllowDevelopmentBypass (Tab__AllowDevelopmentBypass) is true while {string.Join(" and ", configured)} is set. " +
                    "The bypass serves releases without a Teams SSO token and is only for local runs without Teams: remove Tab__AllowDevelopmentBypass, or clear MicrosoftAppId and Tab__AppIdUri.");
            }
        }

        var metadata = options.OpenIdMetadataUrl;
        if (!metadata.IsAbsoluteUri || (metadata.Scheme != Uri.UriSchemeHttps && !(metadata.Scheme == Uri.UriSchemeHttp && metadata.IsLoopback)))
        {
            failures.Add($"Tab:OpenIdMetadataUrl must be an https URL (http only on loopback, for tests); it is '{metadata}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
