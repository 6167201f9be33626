using System.Globalization;
using System.Text;

namespace ReleaseTeamsApp.Storage;

/// <summary>Row keys of the release partition and escaping for values used as keys.</summary>
internal static class TableKeys
{
    public const string ReleaseRow = "release";
    public const string ItemPrefix = "item|";
    public const string AuditPrefix = "audit|";
    public const string DedupePrefix = "dedupe|";

    public static string Item(string itemId) => ItemPrefix + itemId;

    public static string Audit(DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"{AuditPrefix}{at.UtcTicks:D19}|{Guid.NewGuid():N}");

    public static string Dedupe(string key) => DedupePrefix + Escape(key);

    /// <summary>Table keys may not contain / \ # ? or control characters; Teams ids can (rarely) carry them.</summary>
    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"%{(int)c:X2}");
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    public static string Quote(string value) => value.Replace("'", "''", StringComparison.Ordinal);
}
