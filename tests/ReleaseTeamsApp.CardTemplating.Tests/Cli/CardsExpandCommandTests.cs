using System.Text.Json.Nodes;
using ReleaseTeamsApp.Cli;

namespace ReleaseTeamsApp.CardTemplating.Tests.Cli;

public sealed class CardsExpandCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cards-cli-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Run_ValidFiles_PrintsExpandedCardAndExitsZero()
    {
        var template = WriteFile("t.json", """{"type":"TextBlock","text":"Hi ${name}"}""");
        var data = WriteFile("d.json", """{"name":"Ann"}""");

        var (code, output, _) = Run("cards", "expand", template, data);

        Assert.Equal(0, code);
        Assert.Equal("Hi Ann", JsonNode.Parse(output)?["text"]?.GetValue<string>());
        Assert.Contains("\n", output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingFile_ExitsTwoWithMessage()
    {
        var data = WriteFile("d.json", "{}");

        var (code, _, error) = Run("cards", "expand", Path.Combine(_dir.FullName, "nope.json"), data);

        Assert.Equal(2, code);
        Assert.Contains("cannot read template file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_InvalidJson_ReportsFileAndLine()
    {
        var template = WriteFile("t.json", "{}");
        var data = WriteFile("d.json", "{\n  \"a\": ,\n}");

        var (code, _, error) = Run("cards", "expand", template, data);

        Assert.Equal(2, code);
        Assert.Contains("data file", error, StringComparison.Ordinal);
        Assert.Contains("line 2", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("cards", "expand", "only-one.json")]
    [InlineData("bogus")]
    public void Run_WrongUsage_ExitsTwoAndPrintsUsage(params string[] args)
    {
        var (code, _, error) = Run(args);

        Assert.Equal(2, code);
        Assert.Contains("usage", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Help_PrintsCommandsAndExitsZero()
    {
        var (code, output, _) = Run("help");

        Assert.Equal(0, code);
        Assert.Contains("cards expand", output, StringComparison.Ordinal);
    }
    [Fact]
    public void Run_DataWithRepeatedKey_ExpandsWithTheLastValue()
    {
        var template = WriteFile("t.json", """{"type":"TextBlock","text":"${name}"}""");
        var data = WriteFile("d.json", """{"name":"first","name":"second"}""");

        var (code, output, error) = Run("cards", "expand", template, data);

        Assert.Equal((0, ""), (code, error));
        Assert.Equal("second", JsonNode.Parse(output)?["text"]?.GetValue<string>());
    }

    [Fact]
    public void Run_LoneSurrogateInData_IsWrittenEscapedAsJsonStringifyDoes()
    {
        var template = WriteFile("t.json", """{"text":"${s}"}""");
        var data = WriteFile("d.json", """{"s":"a\ud800b"}""");

        var (code, output, _) = Run("cards", "expand", template, data);

        Assert.Equal(0, code);
        Assert.Contains("\"a\\ud800b\"", output, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BrokenInputs => new()
    {
        { """{"a":1,}""", "{}", "template file" },
        { "{}", "[" + new string('[', 300) + new string(']', 300) + "]", "nested deeper" },
        { "{}", "{\"a\": \"\\x\"}", "unknown escape" },
        { "null", "{}", "JSON literal null" },
    };

    [Theory]
    [MemberData(nameof(BrokenInputs))]
    public void Run_InputTheEngineCannotUse_OneLineNamingTheProblemExitTwoNoStackTrace(string templateText, string dataText, string problem)
    {
        var template = WriteFile("t.json", templateText);
        var data = WriteFile("d.json", dataText);

        var (code, output, error) = Run("cards", "expand", template, data);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
