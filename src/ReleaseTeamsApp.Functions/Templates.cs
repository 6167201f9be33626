using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Tab;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Functions.Tab;

namespace ReleaseTeamsApp.Functions;

/// <summary>A team's checklist templates: upload a version (validated; every problem with its location) and list them. Authorised like the tab API.</summary>
public sealed class Templates(TabAuthenticator authenticator, TemplateLibrary library, TeamMembership membership)
{
    [Function("TemplateUpload")]
    public async Task<IActionResult> UploadAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "templates")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request, cancellationToken) is not { } caller)
        {
            return new UnauthorizedResult();
        }

        if (TeamId(request) is not { } teamId)
        {
            return Problems(StatusCodes.Status400BadRequest, [new TemplateProblem("teamId", "the query string must name the team: ?teamId=…")]);
        }

        if (await membership.CheckAsync(caller, teamId, cancellationToken) is not TeamAccess.Member and var access)
        {
            return TabResults.Refused(access);
        }

        if (!await membership.MayManageTemplatesAsync(caller, teamId, cancellationToken))
        {
            return Problems(StatusCodes.Status403Forbidden, [new TemplateProblem("teamId", UploadRefused)]);
        }

        var json = await ReadBodyAsync(request, cancellationToken);
        if (json is null)
        {
            return Problems(StatusCodes.Status400BadRequest, [new TemplateProblem("$", $"the body is larger than {TemplateLibrary.MaxJsonLength} characters")]);
        }

        var result = await library.SaveAsync(caller.TenantId, teamId, json, caller.Name ?? caller.UserObjectId ?? "unknown", cancellationToken);
        return result.Outcome switch
        {
            TemplateSaveOutcome.Saved or TemplateSaveOutcome.Unchanged => Json(
                result.Outcome == TemplateSaveOutcome.Saved ? StatusCodes.Status201Created : StatusCodes.Status200OK,
                new { id = result.Template!.Id, version = result.Template.Version, items = result.Template.Items.Count(), unchanged = result.Outcome == TemplateSaveOutcome.Unchanged }),
            TemplateSaveOutcome.VersionTaken => Problems(StatusCodes.Status409Conflict, result.Problems),
            _ => Problems(StatusCodes.Status400BadRequest, result.Problems),
        };
    }

    [Function("TemplateList")]
    public async Task<IActionResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "templates")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request, cancellationToken) is not { } caller)
        {
            return new UnauthorizedResult();
        }

        if (TeamId(request) is not { } teamId)
        {
            return Problems(StatusCodes.Status400BadRequest, [new TemplateProblem("teamId", "the query string must name the team: ?teamId=…")]);
        }

        return await membership.CheckAsync(caller, teamId, cancellationToken) is not TeamAccess.Member and var access
            ? TabResults.Refused(access)
            : Json(StatusCodes.Status200OK, await library.ListAsync(caller.TenantId, teamId, cancellationToken));
    }

    internal const string UploadRefused =
        "only the Release Managers of this team's releases, or the person who installed ReleaseTeamsApp in the team, can upload checklist templates; ask one of them";

    private static string? TeamId(HttpRequest request) =>
        request.Query["teamId"] is { Count: > 0 } values && values[0] is { Length: > 0 and <= 128 } id && !string.IsNullOrWhiteSpace(id) && !id.Any(char.IsControl) ? id : null;

    /// <summary>The body as text, or null when it is larger than any template the library would store.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var buffer = new char[TemplateLibrary.MaxJsonLength + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length > TemplateLibrary.MaxJsonLength ? null : new string(buffer, 0, length);
    }

    private static ContentResult Problems(int status, IReadOnlyList<TemplateProblem> problems) =>
        Json(status, new { problems = problems.Select(p => new { location = p.Location, message = p.Message }) });

    private static ContentResult Json<T>(int status, T value) => new()
    {
        Content = TabJson.Serialize(value),
        ContentType = "application/json; charset=utf-8",
        StatusCode = status,
    };
}
