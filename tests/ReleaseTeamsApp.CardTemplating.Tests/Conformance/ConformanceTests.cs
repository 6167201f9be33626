using System.Text.Json.Nodes;

namespace ReleaseTeamsApp.CardTemplating.Tests.Conformance;

public sealed class ConformanceTests
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Conformance", "templating");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(CorpusDirectory, "*.template.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file)[..^".template.json".Length]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Expand_CorpusCase_EqualsReferenceOutput(string name)
    {
        var template = new Template(File.ReadAllText(Path.Combine(CorpusDirectory, name + ".template.json")));
        var data = JsonNode.Parse(File.ReadAllText(Path.Combine(CorpusDirectory, name + ".data.json")));
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(CorpusDirectory, name + ".expected.json")));

        var actual = template.ExpandToNode(data);

        Assert.True(JsonNode.DeepEquals(expected, actual), $"{name}\nexpected: {expected?.ToJsonString()}\nactual:   {actual?.ToJsonString()}");
    }

    [Fact]
    public void Corpus_CheckedInCopy_MatchesSharedCorpusWhenPresent()
    {
        var shared = RepositoryPaths.SharedConformanceDirectory();
        if (shared is null)
        {
            // The shared folder only exists next to the development checkout; the checked-in copy is authoritative in CI.
            return;
        }

        var expectedNames = Directory.GetFiles(shared).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var actualNames = Directory.GetFiles(CorpusDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(expectedNames, actualNames);
    }
}
