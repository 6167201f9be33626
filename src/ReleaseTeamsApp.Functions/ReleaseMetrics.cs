using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Metrics;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Tab;

namespace ReleaseTeamsApp.Functions;

/// <summary>Metrics and the archived report for the tab, behind the tab's SSO (401) and tenant scoping (404 outside the caller's tenant).</summary>
public sealed class ReleaseMetricsApi(TabAuthenticator authenticator, IReleaseStore store, MetricsReader metrics)
{
    [Function("ReleaseMetrics")]
    public async Task<IActionResult> ReleaseAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "releases/{releaseId}/metrics")] HttpRequest request, string releaseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request, cancellationToken) is not { } caller)
        {
            return new UnauthorizedResult();
        }

        if (!await InTenantAsync(caller, releaseId, cancellationToken))
        {
            return new NotFoundResult();
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

        if (!await InTenantAsync(caller, releaseId, cancellationToken) || await store.GetReportAsync(releaseId, format, cancellationToken) is not { } report)
        {
            return new NotFoundResult();
        }

        return new ContentResult { Content = report, ContentType = contentType, StatusCode = StatusCodes.Status200OK };
    }

    private async Task<bool> InTenantAsync(TabCaller caller, string releaseId, CancellationToken cancellationToken) =>
        releaseId.Length is > 0 and <= 128 && !releaseId.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?' or '\'')
        && await store.GetAsync(releaseId, cancellationToken) is { } state
        && string.Equals(state.Release.Channel.TenantId, caller.TenantId, StringComparison.OrdinalIgnoreCase);

    private static ContentResult Json<T>(T value) => new()
    {
        Content = TabJson.Serialize(value),
        ContentType = "application/json; charset=utf-8",
        StatusCode = StatusCodes.Status200OK,
    };
}
