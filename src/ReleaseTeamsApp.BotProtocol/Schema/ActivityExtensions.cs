using System.Text.RegularExpressions;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>Helpers that read and shape activities the way the Bot Framework SDK does.</summary>
public static partial class ActivityExtensions
{
    /// <summary>The reference needed to reply to or proactively message this activity's conversation.</summary>
    public static ConversationReference GetConversationReference(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return new ConversationReference
        {
            // A conversationUpdate has no message to reply to.
            ActivityId = activity.Type == ActivityTypes.ConversationUpdate ? null : activity.Id,
            User = activity.From,
            Bot = activity.Recipient,
            Conversation = activity.Conversation,
            ChannelId = activity.ChannelId,
            ServiceUrl = activity.ServiceUrl,
            Locale = activity.Locale,
        };
    }

    /// <summary>Reads <see cref="Activity.ChannelData"/> as <typeparamref name="T"/>, or default when absent.</summary>
    public static T? GetChannelData<T>(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return BotJson.ConvertTo<T>(activity.ChannelData);
    }

    /// <summary>Reads <see cref="Activity.Value"/> as <typeparamref name="T"/>, or default when absent.</summary>
    public static T? GetValue<T>(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return BotJson.ConvertTo<T>(activity.Value);
    }

    /// <summary>The Teams channelData (tenant, team, channel, eventType), or null when absent.</summary>
    public static TeamsChannelData? GetTeamsChannelData(this Activity activity) => activity.GetChannelData<TeamsChannelData>();

    /// <summary>The tenant id from channelData, falling back to conversation.tenantId.</summary>
    public static string? GetTenantId(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.GetTeamsChannelData()?.Tenant?.Id ?? activity.Conversation?.TenantId;
    }

    /// <summary>The mention entities of this activity.</summary>
    public static IReadOnlyList<Mention> GetMentions(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Entities is null)
        {
            return [];
        }

        return activity.Entities
            .Where(e => string.Equals(e.Type, Mention.EntityType, StringComparison.OrdinalIgnoreCase))
            .Select(e => e.GetAs<Mention>())
            .OfType<Mention>()
            .ToList();
    }

    /// <summary>Whether <see cref="Activity.MembersAdded"/> includes the bot itself (the bot was installed).</summary>
    public static bool MembersAddedIncludesBot(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var botId = activity.Recipient?.Id;
        return botId is not null && activity.MembersAdded?.Any(m => m.Id == botId) == true;
    }

    /// <summary>True when this conversationUpdate says the bot itself was removed (membersRemoved contains the recipient).</summary>
    public static bool MembersRemovedIncludesBot(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var botId = activity.Recipient?.Id;
        return botId is not null && activity.MembersRemoved?.Any(m => m.Id == botId) == true;
    }

    /// <summary>Adds a mention of <paramref name="account"/> to the entities and appends its &lt;at&gt; text to the activity text.</summary>
    public static Activity AddMention(this Activity activity, ChannelAccount account)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var mention = Mention.Create(account);
        activity.Entities ??= [];
        activity.Entities.Add(mention.ToEntity());
        activity.Text = string.IsNullOrEmpty(activity.Text) ? mention.Text : $"{activity.Text} {mention.Text}";
        return activity;
    }

    /// <summary>Adds a mention entity of <paramref name="account"/> and returns its &lt;at&gt; text, for the caller to place in the message text.</summary>
    public static string AddMentionEntity(this Activity activity, ChannelAccount account)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var mention = Mention.Create(account);
        activity.Entities ??= [];
        if (!activity.Entities.Any(e => e.Type == Mention.EntityType && e.GetAs<Mention>()?.Mentioned?.Id == account.Id))
        {
            activity.Entities.Add(mention.ToEntity());
        }

        return mention.Text!;
    }

    /// <summary>Removes the mention of the bot (the recipient) from the text and trims it; other mentions stay.</summary>
    public static string RemoveRecipientMention(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var text = activity.Text ?? string.Empty;
        var botId = activity.Recipient?.Id;
        foreach (var mention in activity.GetMentions())
        {
            if (botId is not null && mention.Mentioned?.Id == botId && !string.IsNullOrEmpty(mention.Text))
            {
                text = text.Replace(mention.Text, string.Empty, StringComparison.OrdinalIgnoreCase);
            }
        }

        return CollapseWhitespace(text);
    }

    /// <summary>Removes every &lt;at&gt;…&lt;/at&gt; span from <paramref name="text"/> and trims it.</summary>
    public static string StripMentions(string? text)
    {
        return string.IsNullOrEmpty(text) ? string.Empty : CollapseWhitespace(AtTagPattern().Replace(text, string.Empty));
    }

    /// <summary>The activity text without any &lt;at&gt;…&lt;/at&gt; mention, trimmed.</summary>
    public static string StripMentions(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return StripMentions(activity.Text);
    }

    private static string CollapseWhitespace(string text) => MultiSpacePattern().Replace(text, " ").Trim();

    [GeneratedRegex("<at(\\s[^>]*)?>.*?</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AtTagPattern();

    [GeneratedRegex("[ \\t]{2,}", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MultiSpacePattern();
}
