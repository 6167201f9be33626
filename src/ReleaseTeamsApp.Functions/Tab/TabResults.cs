using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ReleaseTeamsApp.Tab;

namespace ReleaseTeamsApp.Functions.Tab;

/// <summary>How the tab's APIs answer: JSON for members, 404 for everyone else (as if nothing were there), 503 when Teams could not be asked.</summary>
internal static class TabResults
{
    public const string UnverifiedMessage = "Teams could not confirm that you are a member of this team just now. Nothing was changed; try again in a minute.";

    public static IActionResult For<T>(TabAnswer<T> answer)
        where T : class =>
        answer is { Access: TeamAccess.Member, Value: { } value } ? Json(StatusCodes.Status200OK, value) : Refused(answer.Access);

    public static IActionResult Refused(TeamAccess access) => access == TeamAccess.Unverified
        ? Json(StatusCodes.Status503ServiceUnavailable, new { error = UnverifiedMessage })
        : new NotFoundResult();

    public static ContentResult Json<T>(int status, T value) => new()
    {
        Content = TabJson.Serialize(value),
        ContentType = "application/json; charset=utf-8",
        StatusCode = status,
    };
}
