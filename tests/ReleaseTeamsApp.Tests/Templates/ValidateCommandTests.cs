using ReleaseTeamsApp.Cli;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Tests.Templates;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"template-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    private (int Exit, string Out, string Err) Validate(string json)
    {
        File.WriteAllText(_file, json);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CommandLine.Run(["templates", "validate", _file], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void TemplatesValidate_ValidFile_ExitsZeroWithOneLineSummary()
    {
        var (exit, output, _) = Validate(TeamTemplate.Json(3));

        Assert.Equal(0, exit);
        Assert.Equal($"valid: {TeamTemplate.Id} v3 \"Team checklist v3\": 2 phases, 2 sections, 2 items{Environment.NewLine}", output);
    }

    [Fact]
    public void TemplatesValidate_InvalidFile_ExitsTwoAndPrintsEveryProblemAsLocationColonMessage()
    {
        var broken = TeamTemplate.Json(1)
            .Replace("\"QA Automation Engineer\"", "\"Astronaut\"", StringComparison.Ordinal)
            .Replace("\"version\": 1", "\"version\": 0", StringComparison.Ordinal);

        var (exit, output, error) = Validate(broken);

        Assert.Equal(2, exit);
        var lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("version: must be a whole number of at least 1", lines);
        Assert.Contains(lines, l => l.StartsWith("phases[0].sections[0].items[0].owner: unknown role 'Astronaut'", StringComparison.Ordinal));
        Assert.Contains("2 problem(s)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplatesValidate_NotJson_ExitsTwoWithTheLine()
    {
        var (exit, output, _) = Validate("{ \"id\": ");

        Assert.Equal(2, exit);
        Assert.StartsWith("line 1, position", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplatesValidate_MissingFile_ExitsTwo()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = CommandLine.Run(["templates", "validate", _file + ".missing"], stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Contains("cannot read template file", stderr.ToString(), StringComparison.Ordinal);
    }
}
