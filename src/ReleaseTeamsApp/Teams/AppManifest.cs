using System.Text.Json.Nodes;

namespace ReleaseTeamsApp.Teams;

/// <summary>The Teams app manifest (appPackage/manifest.json, built into the app): what people see the app called.</summary>
internal static class AppManifest
{
    private static readonly Lazy<JsonObject> Manifest = new(() =>
    {
        using var stream = typeof(AppManifest).Assembly.GetManifestResourceStream("AppPackage.manifest.json")
            ?? throw new InvalidOperationException("The app manifest is not built into the app.");
        return JsonNode.Parse(stream)!.AsObject();
    });

    /// <summary>name.short: the app's name in Teams' store, app bar and message headers.</summary>
    public static string ShortName => Manifest.Value["name"]?["short"]?.GetValue<string>() ?? throw new InvalidOperationException("appPackage/manifest.json has no name.short.");
}
