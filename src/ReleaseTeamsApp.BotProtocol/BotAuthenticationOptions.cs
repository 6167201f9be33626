using Microsoft.Extensions.Configuration;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>How the bot's Entra identity is hosted (the SDK's <c>MicrosoftAppType</c>).</summary>
public enum BotAppType
{
    /// <summary>Legacy multi-tenant bot; tokens come from the botframework.com tenant.</summary>
    MultiTenant,

    /// <summary>Single-tenant bot; tokens come from <see cref="BotAuthenticationOptions.MicrosoftAppTenantId"/>.</summary>
    SingleTenant,

    /// <summary>User-assigned managed identity whose client id is <see cref="BotAuthenticationOptions.MicrosoftAppId"/>.</summary>
    UserAssignedMSI,
}

/// <summary>The bot's identity and the endpoints used to authenticate inbound and outbound calls.</summary>
public sealed record BotAuthenticationOptions
{
    public const string DefaultOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string DefaultEntraOpenIdMetadataUrl = "https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration";
    public const string DefaultLoginEndpoint = "https://login.microsoftonline.com";

    // Values that did not parse while binding; reported by Validate so startup names them instead of throwing mid-bind.
    private readonly List<string> _bindProblems = [];

    /// <summary>Configuration key: <c>MicrosoftAppId</c>. Empty means anonymous (local emulator) mode.</summary>
    public string? MicrosoftAppId { get; set; }

    /// <summary>Configuration key: <c>MicrosoftAppTenantId</c>.</summary>
    public string? MicrosoftAppTenantId { get; set; }

    /// <summary>Configuration key: <c>MicrosoftAppType</c>; when unset, SingleTenant if a tenant id is set, else MultiTenant.</summary>
    public BotAppType? MicrosoftAppType { get; set; }

    /// <summary>Configuration key: <c>MicrosoftAppPassword</c> (client secret).</summary>
    public string? MicrosoftAppPassword { get; set; }

    /// <summary>Configuration key: <c>MicrosoftAppCertificatePath</c> (PFX file with private key), used when no password is set.</summary>
    public string? MicrosoftAppCertificatePath { get; set; }

    /// <summary>Configuration key: <c>MicrosoftAppCertificateBase64</c> (base64 PFX), used when no password or path is set.</summary>
    public string? MicrosoftAppCertificateBase64 { get; set; }

    /// <summary>Configuration key: <c>MicrosoftAppCertificatePassword</c> (PFX password, optional).</summary>
    public string? MicrosoftAppCertificatePassword { get; set; }

    /// <summary>Configuration key: <c>Bot:OpenIdMetadataUrl</c>; the Bot Framework channel token metadata.</summary>
    public string OpenIdMetadataUrl { get; set; } = DefaultOpenIdMetadataUrl;

    /// <summary>Configuration key: <c>Bot:EntraOpenIdMetadataUrl</c>; <c>{tenant}</c> is replaced by the tenant id.</summary>
    public string EntraOpenIdMetadataUrl { get; set; } = DefaultEntraOpenIdMetadataUrl;

    /// <summary>Configuration key: <c>Bot:LoginEndpoint</c>; the Entra authority host for outbound tokens.</summary>
    public string LoginEndpoint { get; set; } = DefaultLoginEndpoint;

    /// <summary>
    /// Configuration key: <c>Bot:AllowAnonymous</c>. Without an app id the bot accepts unsigned activities; that is only
    /// allowed when this is true or the host environment is Development.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>
    /// Configuration key: <c>Bot:AcceptEntraTokens</c>. Also accept tokens issued by the bot's own Entra tenant (not bound to
    /// a serviceUrl like the channel's tokens are); off unless a caller other than the Bot Connector service needs it.
    /// </summary>
    public bool AcceptEntraTokens { get; set; }

    /// <summary>True when no app id is configured: inbound requests without a token are accepted and outbound calls carry none.</summary>
    public bool IsAnonymous => string.IsNullOrWhiteSpace(MicrosoftAppId);

    /// <summary>The effective app type.</summary>
    public BotAppType AppType => MicrosoftAppType ?? (string.IsNullOrWhiteSpace(MicrosoftAppTenantId) ? BotAppType.MultiTenant : BotAppType.SingleTenant);

    /// <summary>The Entra metadata URL for the configured tenant, or null when no tenant is configured.</summary>
    public string? ResolvedEntraOpenIdMetadataUrl => !AcceptEntraTokens || string.IsNullOrWhiteSpace(MicrosoftAppTenantId)
        ? null
        : EntraOpenIdMetadataUrl.Replace("{tenant}", MicrosoftAppTenantId, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the SDK-compatible keys (root <c>MicrosoftApp*</c>, <c>Bot:*</c>) from <paramref name="configuration"/>.</summary>
    public static void Bind(IConfiguration configuration, BotAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        options.MicrosoftAppId = NullIfEmpty(configuration["MicrosoftAppId"]);
        options.MicrosoftAppTenantId = NullIfEmpty(configuration["MicrosoftAppTenantId"]);
        options.MicrosoftAppPassword = NullIfEmpty(configuration["MicrosoftAppPassword"]);
        options.MicrosoftAppCertificatePath = NullIfEmpty(configuration["MicrosoftAppCertificatePath"]);
        options.MicrosoftAppCertificateBase64 = NullIfEmpty(configuration["MicrosoftAppCertificateBase64"]);
        options.MicrosoftAppCertificatePassword = NullIfEmpty(configuration["MicrosoftAppCertificatePassword"]);
        var appType = NullIfEmpty(configuration["MicrosoftAppType"]);
        if (appType is not null)
        {
            if (Enum.TryParse<BotAppType>(appType, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                options.MicrosoftAppType = parsed;
            }
            else
            {
                options._bindProblems.Add($"MicrosoftAppType '{appType}' is not one of MultiTenant, SingleTenant, UserAssignedMSI.");
            }
        }

        options.OpenIdMetadataUrl = NullIfEmpty(configuration["Bot:OpenIdMetadataUrl"]) ?? options.OpenIdMetadataUrl;
        options.EntraOpenIdMetadataUrl = NullIfEmpty(configuration["Bot:EntraOpenIdMetadataUrl"]) ?? options.EntraOpenIdMetadataUrl;
        options.LoginEndpoint = NullIfEmpty(configuration["Bot:LoginEndpoint"]) ?? options.LoginEndpoint;
        options.AllowAnonymous = Flag(configuration, "Bot:AllowAnonymous", options._bindProblems);
        options.AcceptEntraTokens = Flag(configuration, "Bot:AcceptEntraTokens", options._bindProblems);
    }

    private static bool Flag(IConfiguration configuration, string key, List<string> problems)
    {
        if (NullIfEmpty(configuration[key]) is not { } value)
        {
            return false;
        }

        if (bool.TryParse(value, out var flag))
        {
            return flag;
        }

        problems.Add($"{key.Replace(":", "__", StringComparison.Ordinal)} must be true or false, not '{value}'.");
        return false;
    }

    /// <summary>Returns the configuration problems, empty when the options are usable.</summary>
    /// <param name="isDevelopment">Whether the host runs in the Development environment (anonymous mode is allowed there).</param>
    public IReadOnlyList<string> Validate(bool isDevelopment = false)
    {
        var errors = new List<string>(_bindProblems);
        if (IsAnonymous)
        {
            if (!isDevelopment && !AllowAnonymous)
            {
                errors.Add("MicrosoftAppId is not set, so the bot would accept unsigned activities from anyone: set MicrosoftAppId (with MicrosoftAppPassword) for Teams, or Bot__AllowAnonymous=true for a local run without Teams.");
            }

            return errors;
        }

        if (AppType == BotAppType.SingleTenant && string.IsNullOrWhiteSpace(MicrosoftAppTenantId))
        {
            errors.Add("MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant.");
        }

        if (AppType != BotAppType.UserAssignedMSI && MicrosoftAppPassword is null && MicrosoftAppCertificatePath is null && MicrosoftAppCertificateBase64 is null)
        {
            errors.Add("MicrosoftAppPassword (or MicrosoftAppCertificatePath/MicrosoftAppCertificateBase64) is required when MicrosoftAppId is set.");
        }

        foreach (var (key, value) in new[] { ("Bot:OpenIdMetadataUrl", OpenIdMetadataUrl), ("Bot:EntraOpenIdMetadataUrl", EntraOpenIdMetadataUrl), ("Bot:LoginEndpoint", LoginEndpoint) })
        {
            if (!Uri.TryCreate(value.Replace("{tenant}", "t", StringComparison.OrdinalIgnoreCase), UriKind.Absolute, out _))
            {
                errors.Add($"{key} is not an absolute URL.");
            }
        }

        return errors;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
