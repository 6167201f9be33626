using System.Net;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>A connector call failed after retries; <see cref="ErrorCode"/> holds the Teams code (see <see cref="ConnectorErrorCodes"/>).</summary>
public sealed class ConnectorException : Exception
{
    public ConnectorException()
        : this("The connector call failed.")
    {
    }

    public ConnectorException(string message)
        : base(message)
    {
    }

    public ConnectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConnectorException(string message, HttpStatusCode statusCode, string? errorCode, string? correlationId)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        CorrelationId = correlationId;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The <c>error.code</c> of the connector's ErrorResponse, when it sent one.</summary>
    public string? ErrorCode { get; }

    /// <summary>The <c>X-Correlating-OperationId</c> response header, for support cases.</summary>
    public string? CorrelationId { get; }
}

/// <summary>Error codes Teams returns in <c>ErrorResponse.error.code</c>.</summary>
public static class ConnectorErrorCodes
{
    public const string ConversationBlockedByUser = "ConversationBlockedByUser";
    public const string BotNotInConversationRoster = "BotNotInConversationRoster";
    public const string BotDisabledByAdmin = "BotDisabledByAdmin";
    public const string BotNotRegistered = "BotNotRegistered";
    public const string ConversationNotFound = "ConversationNotFound";
    public const string PreconditionFailed = "PreconditionFailed";
    public const string MessageSizeTooBig = "MessageSizeTooBig";
    public const string Throttled = "Throttled";
}
