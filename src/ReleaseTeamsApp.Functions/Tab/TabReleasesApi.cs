using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Tab;

namespace ReleaseTeamsApp.Functions.Tab;

/// <summary>The tab's JSON API. Every call needs a valid Teams SSO token (401 without detail) and sees only its tenant (404 otherwise).</summary>
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

        return Json(await releases.ListAsync(caller, Query(request, "teamId"), Query(request, "channelId"), cancellationToken));
    }

    [Function("TabLatestRelease")]
    public async Task<IActionResult> LatestAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tab/releases/latest")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request, cancellationToken) is not { } caller)
        {
            return new UnauthorizedResult();
        }

        var dashboard = await releases.GetLatestAsync(caller, Query(request, "teamId"), Query(request, "channelId"), cancellationToken);
        return dashboard is null ? new NotFoundResult() : Json(dashboard);
    }

    [Function("TabRelease")]
    public async Task<IActionResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tab/releases/{releaseId}")] HttpRequest request, string releaseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request, cancellationToken) is not { } caller)
        {
            return new UnauthorizedResult();
        }

        var dashboard = await releases.GetAsync(caller, releaseId, Query(request, "teamId"), Query(request, "channelId"), cancellationToken);
        return dashboard is null ? new NotFoundResult() : Json(dashboard);
    }

    private static string? Query(HttpRequest request, string name) => request.Query[name] is { Count: > 0 } values && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;

    private static ContentResult Json<T>(T value) => new()
    {
        Content = TabJson.Serialize(value),
        ContentType = "application/json; charset=utf-8",
        StatusCode = StatusCodes.Status200OK,
    };
}
