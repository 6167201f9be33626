namespace ReleaseTeamsApp.Deployment.Tests;

/// <summary>Finds the repository from the test's output folder, and copies appPackage/ so tests never write into it.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string AppPackage => Path.Combine(Root, "appPackage");

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    /// <summary>A throw-away folder holding a copy of appPackage/ (template, icons, schema, env files); returns the folder.</summary>
    public static string CopyAppPackage()
    {
        var root = Path.Combine(Path.GetTempPath(), "release-teams-app-test-" + Guid.NewGuid().ToString("N"));
        var target = Path.Combine(root, "appPackage");
        foreach (var file in Directory.EnumerateFiles(AppPackage, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(AppPackage, file);
            if (relative.StartsWith("build", StringComparison.Ordinal))
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return root;
    }

    /// <summary>A throw-away copy of appPackage/, scripts/ and the local settings samples: what the scripts read and write.</summary>
    public static string CopyScriptsAndAppPackage()
    {
        var root = CopyAppPackage();
        Directory.CreateDirectory(Path.Combine(root, "scripts"));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "scripts"), "*.sh"))
        {
            File.Copy(file, Path.Combine(root, "scripts", Path.GetFileName(file)));
        }

        foreach (var sample in Directory.EnumerateFiles(Root, "local.settings*.sample.json"))
        {
            File.Copy(sample, Path.Combine(root, Path.GetFileName(sample)));
        }

        Directory.CreateDirectory(Path.Combine(root, "src", "ReleaseTeamsApp.Functions"));
        return root;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "appPackage", "manifest.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No appPackage/manifest.json above {AppContext.BaseDirectory}.");
    }
}
