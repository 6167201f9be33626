using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Functions.Tab;
using ReleaseTeamsApp.Metrics;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Tab;

namespace ReleaseTeamsApp.Functions;

/// <summary>Metrics and the archived report for the tab, behind the tab's SSO (401) and team membership (404 outside the caller's teams).</summary>
public sealed class ReleaseMetricsApi(TabAuthenticator authenticator, IReleaseStore store, MetricsReader metrics, TeamMembership membership)
{
    [Function("ReleaseMetrics")]
    public async Task<IActionResult> ReleaseAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "releases/{releaseId}/metrics")] HttpRequest request, string releaseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request, cancellationToken) is not { } caller)
        {
            return new UnauthorizedResult();
        }

        if (await AccessAsync(caller, releaseId, cancellationToken) is not TeamAccess.Member and var access)
        {
            return TabResults.Refused(access);
        }

        return Json(await metrics.ForReleaseAsync(releaseId, cancellationToken));
    }

    [Function("TeamMetrics")]
    public async Task<IActionResult> TeamAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "teams/metrics")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request, cancellationToken) is not { } caller)
        {
            return new UnauthorizedResult();
        }

        // The tenant is the token's, never the query's: a caller only ever sees their own tenant's teams.
        var tenantId = request.Query["tenantId"].FirstOrDefault();
        var teamId = request.Query["teamId"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(teamId) || (!string.IsNullOrEmpty(tenantId) && !string.Equals(tenantId, caller.TenantId, StringComparison.OrdinalIgnoreCase)))
        {
            return new NotFoundResult();
        }

        if (await membership.CheckAsync(caller, teamId, cancellationToken) is not TeamAccess.Member and var access)
        {
            return TabResults.Refused(access);
        }

        return Json(await metrics.ForTeamAsync(caller.TenantId, teamId, cancellationToken));
    }

    [Function("ReleaseReportMarkdown")]
    public Task<IActionResult> MarkdownAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "releases/{releaseId}/report.md")] HttpRequest request, string releaseId, CancellationToken cancellationToken) =>
        ReportAsync(request, releaseId, ReleaseReportFormat.Markdown, "text/markdown; charset=utf-8", cancellationToken);

    [Function("ReleaseReportCsv")]
    public Task<IActionResult> CsvAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "releases/{releaseId}/report.csv")] HttpRequest request, string releaseId, CancellationToken cancellationToken) =>
        ReportAsync(request, releaseId, ReleaseReportFormat.Csv, "text/csv; charset=utf-8", cancellationToken);

    private async Task<IActionResult> ReportAsync(HttpRequest request, string releaseId, ReleaseReportFormat format, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request, cancellationToken) is not { } caller)
        {
            return new UnauthorizedResult();
        }

        if (await AccessAsync(caller, releaseId, cancellationToken) is not TeamAccess.Member and var access)
        {
            return TabResults.Refused(access);
        }

        if (await store.GetReportAsync(releaseId, format, cancellationToken) is not { } report)
        {
            return new NotFoundResult();
        }

        return new ContentResult { Content = report, ContentType = contentType, StatusCode = StatusCodes.Status200OK };
    }

    /// <summary>Member when the release is in the caller's tenant and in a team the caller belongs to; anything else reads as not found.</summary>
    private async Task<TeamAccess> AccessAsync(TabCaller caller, string releaseId, CancellationToken cancellationToken) =>
        releaseId.Length is > 0 and <= 128 && !releaseId.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?' or '\'')
        && await store.GetAsync(releaseId, cancellationToken) is { } state
        && string.Equals(state.Release.Channel.TenantId, caller.TenantId, StringComparison.OrdinalIgnoreCase)
            ? await membership.CheckAsync(caller, state.Release.Channel.TeamId, cancellationToken)
            : TeamAccess.NotMember;

    private static ContentResult Json<T>(T value) => new()
    {
        Content = TabJson.Serialize(value),
        ContentType = "application/json; charset=utf-8",
        StatusCode = StatusCodes.Status200OK,
    };
}
