namespace ReleaseTeamsApp.BotProtocol;

/// <summary>Values of <see cref="Activity.Type"/>.</summary>
public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";
    public const string Invoke = "invoke";
    public const string InvokeResponse = "invokeResponse";
    public const string MessageReaction = "messageReaction";
    public const string MessageUpdate = "messageUpdate";
    public const string MessageDelete = "messageDelete";
    public const string Event = "event";
    public const string Typing = "typing";
}

/// <summary>Values of <see cref="Activity.TextFormat"/>.</summary>
public static class TextFormatTypes
{
    public const string Plain = "plain";
    public const string Markdown = "markdown";
    public const string Xml = "xml";
}

/// <summary>Values of <see cref="Activity.Action"/> on installationUpdate activities.</summary>
public static class InstallationUpdateActions
{
    public const string Add = "add";
    public const string Remove = "remove";
    public const string AddUpgrade = "add-upgrade";
    public const string RemoveUpgrade = "remove-upgrade";
}

/// <summary>Well-known channel ids.</summary>
public static class Channels
{
    public const string MsTeams = "msteams";
    public const string Emulator = "emulator";
}

/// <summary>Content types of attachments and invoke responses.</summary>
public static class ContentTypes
{
    public const string AdaptiveCard = "application/vnd.microsoft.card.adaptive";
    public const string ActivityMessage = "application/vnd.microsoft.activity.message";
    public const string Error = "application/vnd.microsoft.error";
    public const string LoginRequest = "application/vnd.microsoft.activity.loginRequest";
}

/// <summary>Values of <see cref="Activity.Name"/> on invoke activities.</summary>
public static class InvokeNames
{
    public const string AdaptiveCardAction = "adaptiveCard/action";
}
