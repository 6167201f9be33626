namespace ReleaseTeamsApp.Cli.AppPackage;

/// <summary>
/// The values for one environment: KEY=VALUE lines from appPackage/env/.env.{name}
/// (the format `azd env get-values` writes), overridden by environment variables of the same name.
/// </summary>
internal sealed class PackageEnvironment
{
    private readonly Dictionary<string, string> _fileValues;
    private readonly Func<string, string?> _environmentVariable;

    private PackageEnvironment(string filePath, Dictionary<string, string> fileValues, Func<string, string?> environmentVariable)
    {
        FilePath = filePath;
        _fileValues = fileValues;
        _environmentVariable = environmentVariable;
    }

    public string FilePath { get; }

    public static PackageEnvironment Load(string filePath, Func<string, string?> environmentVariable)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(filePath))
        {
            var lineNumber = 0;
            foreach (var line in File.ReadLines(filePath))
            {
                lineNumber++;
                var trimmed = line.Trim();
                if (trimmed.Length == 0 || trimmed.StartsWith('#'))
                {
                    continue;
                }

                if (trimmed.StartsWith("export ", StringComparison.Ordinal))
                {
                    trimmed = trimmed["export ".Length..].TrimStart();
                }

                var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new AppPackageException($"{filePath}:{lineNumber}: expected KEY=VALUE, found '{trimmed}'.");
                }

                values[trimmed[..equals].Trim()] = Unquote(trimmed[(equals + 1)..].Trim());
            }
        }

        return new PackageEnvironment(filePath, values, environmentVariable);
    }

    /// <summary>The value for <paramref name="name"/>, or null when neither the environment nor the file sets it.</summary>
    public string? Get(string name)
    {
        var fromEnvironment = _environmentVariable(name);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment.Trim();
        }

        return _fileValues.TryGetValue(name, out var fromFile) && fromFile.Length > 0 ? fromFile : null;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0] ? value[1..^1] : value;
}
