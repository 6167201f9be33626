namespace ReleaseTeamsApp.Cli;

/// <summary>Dispatches <c>&lt;group&gt; &lt;verb&gt; args…</c> to a command; add a command by adding one entry to <see cref="Commands"/>.</summary>
internal static class CommandLine
{
    public const int Success = 0;
    public const int UsageError = 2;

    private sealed record Command(string Name, string Usage, Func<string[], TextWriter, TextWriter, int> Run);

    private static readonly Command[] Commands =
    [
        new("cards expand", "cards expand <template.json> <data.json>   print the expanded Adaptive Card", Cards.ExpandCommand.Run),
        new("package", AppPackage.PackageCommand.Usage, AppPackage.PackageCommand.Run),
        new("templates validate", Templates.ValidateCommand.Usage, Templates.ValidateCommand.Run),
    ];

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            PrintUsage(args.Length == 0 ? stderr : stdout);
            return args.Length == 0 ? UsageError : Success;
        }

        foreach (var command in Commands)
        {
            var words = command.Name.Split(' ');
            if (args.Length >= words.Length && args.AsSpan(0, words.Length).SequenceEqual(words))
            {
                return command.Run(args[words.Length..], stdout, stderr);
            }
        }

        stderr.WriteLine($"error: unknown command '{string.Join(' ', args)}'");
        PrintUsage(stderr);
        return UsageError;
    }

    public static void PrintUsage(TextWriter writer)
    {
        writer.WriteLine("usage: ReleaseTeamsApp.Cli <command>");
        writer.WriteLine("commands:");
        foreach (var command in Commands)
        {
            writer.WriteLine("  " + command.Usage);
        }

        writer.WriteLine("  help                                       show this help");
    }
}
