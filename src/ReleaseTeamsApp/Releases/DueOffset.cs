using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ReleaseTeamsApp.Releases;

/// <summary>When an item is due, relative to its phase's anchor: "-14d", "+30m", "+1d2h".</summary>
[JsonConverter(typeof(DueOffsetJsonConverter))]
public readonly partial record struct DueOffset(TimeSpan Value)
{
    [GeneratedRegex(@"^(?<sign>[+-])(?:(?<d>\d{1,3})d)?(?:(?<h>\d{1,3})h)?(?:(?<m>\d{1,4})m)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out DueOffset offset)
    {
        offset = default;
        if (text is null)
        {
            return false;
        }

        var match = Pattern().Match(text.Trim());
        if (!match.Success || (!match.Groups["d"].Success && !match.Groups["h"].Success && !match.Groups["m"].Success))
        {
            return false;
        }

        static int Part(Match m, string name) => m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var span = new TimeSpan(Part(match, "d"), Part(match, "h"), Part(match, "m"), 0);
        offset = new DueOffset(match.Groups["sign"].Value == "-" ? -span : span);
        return true;
    }

    public override string ToString()
    {
        var span = Value.Duration();
        var text = new StringBuilder(Value < TimeSpan.Zero ? "-" : "+");
        if (span.Days > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{span.Days}d");
        }

        if (span.Hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{span.Hours}h");
        }

        if (span.Minutes > 0 || span == TimeSpan.Zero)
        {
            text.Append(CultureInfo.InvariantCulture, $"{span.Minutes}m");
        }

        return text.ToString();
    }
}

/// <summary>Stores an offset the way templates write it ("-14d").</summary>
internal sealed class DueOffsetJsonConverter : JsonConverter<DueOffset>
{
    public override DueOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DueOffset.TryParse(reader.GetString(), out var offset) ? offset : throw new JsonException($"Bad due offset '{reader.GetString()}'.");

    public override void Write(Utf8JsonWriter writer, DueOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
