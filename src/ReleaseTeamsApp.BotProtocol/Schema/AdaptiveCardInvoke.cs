using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>The <see cref="Activity.Value"/> of an <c>adaptiveCard/action</c> invoke (Action.Execute).</summary>
public sealed record AdaptiveCardInvokeValue
{
    public AdaptiveCardInvokeAction? Action { get; set; }

    /// <summary><c>manual</c> (user clicked) or <c>automatic</c> (refresh).</summary>
    public string? Trigger { get; set; }

    public AdaptiveCardAuthentication? Authentication { get; set; }
    public string? State { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; set; }
}

/// <summary>The Action.Execute that was invoked.</summary>
public sealed record AdaptiveCardInvokeAction
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public string? Verb { get; set; }

    /// <summary>The action's data merged with the card inputs; a <see cref="JsonElement"/> when received.</summary>
    public object? Data { get; set; }

    /// <summary>Reads <see cref="Data"/> as <typeparamref name="T"/>.</summary>
    public T? GetData<T>() => BotJson.ConvertTo<T>(Data);
}

/// <summary>SSO token exchange details sent with an invoke.</summary>
public sealed record AdaptiveCardAuthentication
{
    public string? Id { get; set; }
    public string? ConnectionName { get; set; }
    public string? Token { get; set; }
}

/// <summary>The body of the HTTP 200 response to an <c>adaptiveCard/action</c> invoke (digest §5).</summary>
public sealed record AdaptiveCardInvokeResponse
{
    public int StatusCode { get; set; } = 200;
    public string? Type { get; set; }
    public object? Value { get; set; }

    /// <summary>Replaces the card for the user who clicked.</summary>
    public static AdaptiveCardInvokeResponse Card(object card) =>
        new() { StatusCode = 200, Type = ContentTypes.AdaptiveCard, Value = card };

    /// <summary>Shows a transient message to the user who clicked.</summary>
    public static AdaptiveCardInvokeResponse Message(string text) =>
        new() { StatusCode = 200, Type = ContentTypes.ActivityMessage, Value = text };

    /// <summary>Reports a failure as <c>application/vnd.microsoft.error</c> with <c>{code, message}</c>.</summary>
    public static AdaptiveCardInvokeResponse Error(int statusCode, string code, string message) =>
        new() { StatusCode = statusCode, Type = ContentTypes.Error, Value = new InvokeError(code, message) };

    /// <summary>400 BadRequest error response.</summary>
    public static AdaptiveCardInvokeResponse BadRequest(string message) => Error(400, "BadRequest", message);

    /// <summary>500 error response.</summary>
    public static AdaptiveCardInvokeResponse InternalError(string message) => Error(500, "InternalServerError", message);
}

/// <summary>The <c>{code, message}</c> value of an error invoke response.</summary>
public sealed record InvokeError(string Code, string Message);

/// <summary>What the host writes as the HTTP response to an invoke activity.</summary>
public sealed record InvokeResponse(int Status, object? Body)
{
    /// <summary>Universal Actions responses always travel as HTTP 200; the outcome is in the body's statusCode.</summary>
    public static InvokeResponse FromAdaptiveCard(AdaptiveCardInvokeResponse response) => new(200, response);

    /// <summary>The response for an invoke the bot does not handle.</summary>
    public static InvokeResponse NotImplemented { get; } = new(501, null);
}
