namespace ReleaseTeamsApp.Signals;

/// <summary>What a receiver answers: the status code and a one-sentence message for whoever configured the hook.</summary>
public sealed record HookReceipt(int Status, string Message)
{
    public static HookReceipt Accepted(string message) => new(202, message);

    public static HookReceipt Unauthorized(string message) => new(401, message);

    public static HookReceipt BadRequest(string message) => new(400, message);
}
