using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>The JSON conventions of the Bot Framework wire protocol.</summary>
public static class BotJson
{
    /// <summary>camelCase, nulls omitted, unknown fields tolerated; shared so every caller writes identical bytes.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
            // Cards carry emoji and typographic characters: sent as UTF-8, not \u escapes, they stay well under Teams' size limit.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Converts a loosely typed payload (JsonElement, JsonNode or a CLR object) to <typeparamref name="T"/>.</summary>
    public static T? ConvertTo<T>(object? value)
    {
        return value switch
        {
            null => default,
            T typed => typed,
            JsonElement element => element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
                ? default
                : element.Deserialize<T>(Options),
            _ => JsonSerializer.SerializeToElement(value, value.GetType(), Options).Deserialize<T>(Options),
        };
    }
}
