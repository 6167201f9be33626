namespace ReleaseTeamsApp.Signals;

/// <summary>The GitHub App the signals come from (settings GitHub__…). Without a webhook secret every delivery is refused.</summary>
public sealed class GitHubOptions
{
    public const string Section = "GitHub";

    /// <summary>The GitHub App's webhook secret: deliveries are signed with it (X-Hub-Signature-256).</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>REST base URL: https://api.github.com/ for github.com, https://&lt;host&gt;/api/v3/ for GitHub Enterprise Server (and a local fake in tests).</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://api.github.com/");

    /// <summary>The GitHub App's id (the JWT's issuer).</summary>
    public string? AppId { get; set; }

    /// <summary>The GitHub App's private key (PEM), for the app JWT that buys installation tokens.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>Where the go/no-go decision links to from GitHub (the app's public URL); optional.</summary>
    public Uri? DecisionLinkBaseUrl { get; set; }

    public bool CanCallApi => !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(PrivateKey);
}
