namespace ReleaseTeamsApp.Cli.AppPackage;

/// <summary>
/// `package &lt;env&gt;`: builds appPackage/build/appPackage.&lt;env&gt;.zip from appPackage/env/.env.&lt;env&gt;.
/// `package --render-icons`: redraws appPackage/color.png and outline.png.
/// Exit codes: 0 built, 2 something to fix (the message says what).
/// </summary>
internal static class PackageCommand
{
    public const string Name = "package";
    public const int Success = 0;
    public const int InputError = 2;

    public const string Usage = "package <env>                              build appPackage/build/appPackage.<env>.zip (--render-icons: redraw icons)";

    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Run(args, Directory.GetCurrentDirectory(), Environment.GetEnvironmentVariable, output, error);

    public static int Run(IReadOnlyList<string> args, string workingDirectory, Func<string, string?> environmentVariable, TextWriter output, TextWriter error)
    {
        if (args.Count != 1 || args[0] is "-h" or "--help")
        {
            error.WriteLine("usage: " + Usage);
            return InputError;
        }

        try
        {
            var builder = new AppPackageBuilder(FindAppPackageDirectory(workingDirectory));
            if (args[0] == "--render-icons")
            {
                File.WriteAllBytes(Path.Combine(builder.AppPackageDirectory, "color.png"), Png.Encode(IconArt.RenderColor()));
                File.WriteAllBytes(Path.Combine(builder.AppPackageDirectory, "outline.png"), Png.Encode(IconArt.RenderOutline()));
                output.WriteLine($"Wrote color.png and outline.png in {builder.AppPackageDirectory}");
                return Success;
            }

            var zip = builder.Build(args[0], environmentVariable);
            output.WriteLine($"Wrote {zip}");
            return Success;
        }
        catch (AppPackageException ex)
        {
            error.WriteLine($"package: {ex.Message}");
            return InputError;
        }
    }

    private static string FindAppPackageDirectory(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "appPackage");
            if (File.Exists(Path.Combine(candidate, "manifest.json")))
            {
                return candidate;
            }
        }

        throw new AppPackageException($"No appPackage/manifest.json in {start} or any folder above it; run from the repository.");
    }
}
