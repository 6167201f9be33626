using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>The Teams-specific <see cref="Activity.ChannelData"/>.</summary>
public sealed record TeamsChannelData
{
    public TenantInfo? Tenant { get; set; }
    public TeamInfo? Team { get; set; }
    public ChannelInfo? Channel { get; set; }
    public string? EventType { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; set; }
}

public sealed record TenantInfo
{
    public string? Id { get; set; }
}

public sealed record TeamInfo
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadGroupId { get; set; }
}

public sealed record ChannelInfo
{
    public string? Id { get; set; }
    public string? Name { get; set; }
}

/// <summary>Values of <see cref="TeamsChannelData.EventType"/>.</summary>
public static class TeamsEventTypes
{
    public const string TeamMemberAdded = "teamMemberAdded";
    public const string TeamMemberRemoved = "teamMemberRemoved";
    public const string ChannelCreated = "channelCreated";
    public const string ChannelDeleted = "channelDeleted";
    public const string ChannelRenamed = "channelRenamed";
    public const string ChannelRestored = "channelRestored";
    public const string TeamRenamed = "teamRenamed";
    public const string TeamDeleted = "teamDeleted";
    public const string TeamHardDeleted = "teamHardDeleted";
    public const string TeamArchived = "teamArchived";
    public const string TeamUnarchived = "teamUnarchived";
    public const string TeamRestored = "teamRestored";
    public const string EditMessage = "editMessage";
    public const string SoftDeleteMessage = "softDeleteMessage";
    public const string UndeleteMessage = "undeleteMessage";
}

/// <summary>A conversation member as Teams describes them (the SDK's TeamsChannelAccount): the channel account plus profile fields.</summary>
public sealed record TeamsChannelAccount
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? AadObjectId { get; set; }

    public string? Email { get; set; }

    public string? UserPrincipalName { get; set; }

    public string? GivenName { get; set; }

    public string? Surname { get; set; }

    public string? TenantId { get; set; }

    public string? UserRole { get; set; }
}
