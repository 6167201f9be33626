namespace ReleaseTeamsApp.CardTemplating.Tests;

internal static class RepositoryPaths
{
    /// <summary>The directory holding ReleaseTeamsApp.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReleaseTeamsApp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ReleaseTeamsApp.sln not found above " + AppContext.BaseDirectory);
    }

    public static string? SharedConformanceDirectory()
    {
        var dir = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "conformance", "templating"));
        return Directory.Exists(dir) ? dir : null;
    }
}
