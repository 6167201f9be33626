using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Tab;

namespace ReleaseTeamsApp.Functions.Tab;

/// <summary>The tab's JSON API. Every call needs a valid Teams SSO token (401 without detail) and sees only the teams of its tenant the caller is a member of (404 otherwise).</summary>
public sealed class TabReleasesApi(TabAuthenticator authenticator, TabReleases releases)
{
    [Function("TabReleaseList")]
    public async Task<IActionResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tab/releases")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request, cancellationToken) is not { } caller)
        {
            return new UnauthorizedResult();
        }

        return TabResults.For(await releases.ListAsync(caller, Query(request, "teamId"), Query(request, "channelId"), cancellationToken));
    }

    [Function("TabLatestRelease")]
    public async Task<IActionResult> LatestAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tab/releases/latest")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request, cancellationToken) is not { } caller)
        {
            return new UnauthorizedResult();
        }

        return TabResults.For(await releases.GetLatestAsync(caller, Query(request, "teamId"), Query(request, "channelId"), cancellationToken));
    }

    [Function("TabRelease")]
    public async Task<IActionResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tab/releases/{releaseId}")] HttpRequest request, string releaseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request, cancellationToken) is not { } caller)
        {
            return new UnauthorizedResult();
        }

        return TabResults.For(await releases.GetAsync(caller, releaseId, Query(request, "teamId"), Query(request, "channelId"), cancellationToken));
    }

    private static string? Query(HttpRequest request, string name) => request.Query[name] is { Count: > 0 } values && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;
}
