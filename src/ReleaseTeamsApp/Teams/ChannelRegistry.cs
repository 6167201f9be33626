using Azure;
using Azure.Data.Tables;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Teams;

/// <summary>Where the bot is installed: what it needs to post into a channel later, without an incoming message.</summary>
public sealed class ConversationRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string ServiceUrl { get; set; } = "";

    public string ConversationId { get; set; } = "";

    public string TenantId { get; set; } = "";

    public string TeamId { get; set; } = "";

    public string ChannelId { get; set; } = "";

    public string? TeamName { get; set; }

    public string? BotId { get; set; }

    public string? BotName { get; set; }

    public DateTimeOffset InstalledAt { get; set; }

    /// <summary>Entra object id of the person whose action installed the app here (the activity's from.aadObjectId).</summary>
    public string? InstalledByAadObjectId { get; set; }

    public bool Removed { get; set; }
}

/// <summary>Conversation references of the teams, channels and chats the bot is installed in, persisted in Table Storage.</summary>
public sealed class ChannelRegistry(ReleaseTables tables)
{
    public async Task RememberAsync(ChannelKey channel, string serviceUrl, string conversationId, string? teamName, string? botId, string? botName, string? installedByAadObjectId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var row = new ConversationRow
        {
            PartitionKey = TableKeys.Escape(channel.TenantId),
            RowKey = TableKeys.Escape(conversationId),
            ServiceUrl = serviceUrl,
            ConversationId = conversationId,
            TenantId = channel.TenantId,
            TeamId = channel.TeamId,
            ChannelId = channel.ChannelId,
            TeamName = teamName,
            BotId = botId,
            BotName = botName,
            InstalledAt = at,
            InstalledByAadObjectId = installedByAadObjectId,
        };

        // The installation facts of one conversation have a single writer (Teams' install events): last one wins.
        await tables.Conversations.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task ForgetAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Conversations.UpdateEntityAsync(
                new TableEntity(TableKeys.Escape(tenantId), TableKeys.Escape(conversationId)) { ["Removed"] = true }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Never installed here as far as we know: nothing to forget.
        }
    }

    /// <summary>Where the bot is installed in a team (any of its conversations, the team's own first), or null.</summary>
    public async Task<ConversationRow?> FindTeamAsync(string tenantId, string teamId, CancellationToken cancellationToken)
    {
        ConversationRow? found = null;
        var filter = $"PartitionKey eq '{TableKeys.Quote(TableKeys.Escape(tenantId))}' and TeamId eq '{TableKeys.Quote(teamId)}'";
        await foreach (var row in tables.Conversations.QueryAsync<ConversationRow>(filter, cancellationToken: cancellationToken))
        {
            if (!row.Removed && (found is null || row.ConversationId == teamId))
            {
                found = row;
            }
        }

        return found;
    }

    /// <summary>
    /// Claims the welcome of one installation in a conversation. Teams announces an installation twice (conversationUpdate
    /// with the bot in membersAdded, and installationUpdate "add"), in either order or at once: only the first claim wins.
    /// </summary>
    /// <returns>True when this call claimed it and the caller posts the welcome; false when it was already claimed.</returns>
    public async Task<bool> ClaimWelcomeAsync(string tenantId, string conversationId, string activityId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Installations.AddEntityAsync(
                new TableEntity(TableKeys.Escape(tenantId), TableKeys.Escape(conversationId)) { ["ClaimedAt"] = at, ["ClaimedBy"] = activityId }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Ends the installation's welcome claim (the bot was removed, or the welcome could not be posted), so the next installation welcomes again.</summary>
    public async Task ReleaseWelcomeAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Installations.DeleteEntityAsync(TableKeys.Escape(tenantId), TableKeys.Escape(conversationId), ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already released by the other removal event.
        }
    }

    public async Task<ConversationRow?> FindAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        var row = await tables.Conversations.GetEntityIfExistsAsync<ConversationRow>(TableKeys.Escape(tenantId), TableKeys.Escape(conversationId), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }
}
