using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.BotProtocol;

namespace ReleaseTeamsApp.Tests.Testing;

/// <summary>A posted reminder or escalation read as the tests check it: whom it mentions, what kind it is, its card's JSON.</summary>
internal static class PostedDigests
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The one person the message @mentions (whom the digest is for).</summary>
    public static string Recipient(Activity activity) => activity.GetMentions().Single().Mentioned!.Id!;

    public static bool IsEscalation(Activity activity) => activity.Summary!.StartsWith("Escalation", StringComparison.Ordinal);

    /// <summary>The card's JSON with its text unescaped (quotes, emoji and "…" as written), so assertions can quote the card.</summary>
    public static string Card(Activity activity) => ((JsonObject)activity.Attachments![0].Content!).ToJsonString(Readable);
}
