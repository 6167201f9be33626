using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReleaseTeamsApp.Cli.AppPackage;

/// <summary>
/// Turns appPackage/ (manifest template, icons, env files, schema) into the zip Teams accepts:
/// manifest.json and both icons at the zip root.
/// </summary>
internal sealed partial class AppPackageBuilder(string appPackageDirectory)
{
    // Fixed entry timestamps make the same inputs produce byte-identical packages.
    private static readonly DateTimeOffset EntryTimestamp = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public string AppPackageDirectory { get; } = appPackageDirectory;

    public string EnvironmentFilePath(string environmentName) =>
        Path.Combine(AppPackageDirectory, "env", $".env.{environmentName}");

    public string OutputPath(string environmentName) =>
        Path.Combine(AppPackageDirectory, "build", $"appPackage.{environmentName}.zip");

    /// <summary>Fills, validates and zips the manifest for one environment; returns the zip's path.</summary>
    public string Build(string environmentName, Func<string, string?> environmentVariable)
    {
        if (!EnvironmentNamePattern().IsMatch(environmentName))
        {
            throw new AppPackageException($"'{environmentName}' is not an environment name (letters, digits, '-' and '_').");
        }

        var manifest = FillManifest(EnvironmentFilePath(environmentName), environmentVariable);
        var icons = ReadIcons(manifest);

        var output = OutputPath(environmentName);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.Delete(output);
        using (var zip = ZipFile.Open(output, ZipArchiveMode.Create))
        {
            AddEntry(zip, "manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest));
            foreach (var (name, bytes) in icons)
            {
                AddEntry(zip, name, bytes);
            }
        }

        return output;
    }

    /// <summary>The filled manifest text, checked against the v1.30 schema.</summary>
    public string FillManifest(string environmentFilePath, Func<string, string?> environmentVariable)
    {
        var template = new ManifestTemplate(File.ReadAllText(Path.Combine(AppPackageDirectory, "manifest.json")));
        var manifest = template.Fill(PackageEnvironment.Load(environmentFilePath, environmentVariable));

        var errors = ManifestSchema.Load(Path.Combine(AppPackageDirectory, "schema", "MicrosoftTeams.v1.30.schema.json")).Validate(manifest);
        if (errors.Count > 0)
        {
            throw new AppPackageException($"The filled manifest does not match the Teams v1.30 schema:{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", errors)}");
        }

        return manifest;
    }

    private List<(string Name, byte[] Bytes)> ReadIcons(string manifest)
    {
        var icons = JsonNode.Parse(manifest)!["icons"]!;
        var color = ReadIcon(icons["color"]!.GetValue<string>());
        var outline = ReadIcon(icons["outline"]!.GetValue<string>());

        CheckIcon(color.Name, Png.Decode(color.Bytes), IconArt.ColorSize, p => p.A == 255, "fully opaque");
        CheckIcon(outline.Name, Png.Decode(outline.Bytes), IconArt.OutlineSize, p => p.A == 0 || (p.R, p.G, p.B) == (255, 255, 255), "white on a transparent background");
        return [color, outline];
    }

    private (string Name, byte[] Bytes) ReadIcon(string relativePath)
    {
        var path = Path.Combine(AppPackageDirectory, relativePath);
        if (!File.Exists(path))
        {
            throw new AppPackageException($"Icon '{relativePath}' named in the manifest is missing from {AppPackageDirectory}.");
        }

        // Teams reads icons from the zip root, so nested paths are flattened to their file name.
        return (Path.GetFileName(relativePath), File.ReadAllBytes(path));
    }

    private static void CheckIcon(string name, RgbaImage image, int size, Func<Rgba, bool> pixelRule, string ruleText)
    {
        if (image.Width != size || image.Height != size)
        {
            throw new AppPackageException($"Icon '{name}' is {image.Width}x{image.Height}; Teams requires {size}x{size}.");
        }

        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                if (!pixelRule(image[x, y]))
                {
                    throw new AppPackageException($"Icon '{name}' must be {ruleText}; pixel ({x},{y}) is {image[x, y]}.");
                }
            }
        }
    }

    private static void AddEntry(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTimestamp;
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex EnvironmentNamePattern();
}
