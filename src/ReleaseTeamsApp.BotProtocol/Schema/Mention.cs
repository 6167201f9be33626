using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>A mention entity: <c>{"type":"mention","mentioned":{id,name},"text":"&lt;at&gt;Name&lt;/at&gt;"}</c>.</summary>
public sealed record Mention
{
    public const string EntityType = "mention";

    public string Type { get; set; } = EntityType;
    public ChannelAccount? Mentioned { get; set; }
    public string? Text { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; set; }

    /// <summary>Creates a mention of <paramref name="account"/>; put <see cref="Text"/> verbatim into the activity text or Teams ignores it.</summary>
    public static Mention Create(ChannelAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var name = account.Name ?? account.Id ?? string.Empty;
        return new Mention
        {
            Mentioned = new ChannelAccount(account.Id ?? string.Empty, account.Name),
            Text = $"<at>{WebUtility.HtmlEncode(name)}</at>",
        };
    }

    /// <summary>Converts this mention to an activity entity.</summary>
    public Entity ToEntity() => Entity.From(this);
}
