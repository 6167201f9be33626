using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Tab;

namespace ReleaseTeamsApp.Functions.Tab;

/// <summary>The tab's pages, scripts, styles and the npm browser libraries, served by the app itself (no CDN).</summary>
public sealed class TabPages(TabFiles files)
{
    [Function(nameof(TabPages))]
    public async Task<IActionResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tab/{file}")] HttpRequest request, string file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (files.Find(file) is not { } found)
        {
            return new NotFoundResult();
        }

        var headers = request.HttpContext.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = found.IsPage ? "no-cache" : "public, max-age=300";
        if (found.IsPage)
        {
            headers.ContentSecurityPolicy = TabFiles.ContentSecurityPolicy;
        }

        return new FileContentResult(await File.ReadAllBytesAsync(found.Path, cancellationToken), found.ContentType);
    }
}
