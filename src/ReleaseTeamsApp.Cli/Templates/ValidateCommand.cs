using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Cli.Templates;

/// <summary><c>templates validate &lt;file.json&gt;</c>: checks a checklist template before a team uploads it, listing every problem.</summary>
internal static class ValidateCommand
{
    public const string Usage = "templates validate <file.json>              check a checklist template; every problem as location: message";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 1)
        {
            stderr.WriteLine("error: templates validate needs exactly one file");
            stderr.WriteLine("usage: templates validate <file.json>");
            return CommandLine.UsageError;
        }

        string json;
        try
        {
            json = File.ReadAllText(args[0]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"error: cannot read template file '{args[0]}': {ex.Message}");
            return CommandLine.UsageError;
        }

        var result = ChecklistTemplateLoader.Load(json);
        if (!result.IsValid)
        {
            foreach (var problem in result.Problems)
            {
                stdout.WriteLine(problem.ToString());
            }

            stderr.WriteLine($"{args[0]}: {result.Problems.Count} problem(s); fix them and validate again");
            return CommandLine.UsageError;
        }

        var template = result.Template!;
        stdout.WriteLine($"valid: {template.Id} v{template.Version} \"{template.Name}\": {template.Phases.Count} phases, {template.Phases.Sum(p => p.Sections.Count)} sections, {template.Items.Count()} items");
        return CommandLine.Success;
    }
}
