using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseTeamsApp.Tab;

/// <summary>The tab API's JSON: camelCase names and enum values, as the page's JavaScript expects.</summary>
internal static class TabJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
