namespace ReleaseTeamsApp.Functions.Tests.Tab;

internal static class TabRepository
{
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "package.json")) && File.Exists(Path.Combine(directory.FullName, "ReleaseTeamsApp.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (package.json + ReleaseTeamsApp.sln) is not above the test output.");
    }
}
