using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Tests.Templates;

public sealed class ChecklistTemplateLoaderTests
{
    private const string ValidCustomTemplate = """
        {
          "id": "mobile-release",
          "version": 3,
          "name": "Mobile Release",
          "phases": [
            {
              "id": "before",
              "title": "Before",
              "kind": "preRelease",
              "sections": [
                {
                  "id": "store",
                  "title": "Store listing",
                  "items": [
                    { "id": "screenshots", "text": "Screenshots updated", "owner": "ux", "due": "-3d" },
                    { "id": "whats-new", "text": "What's new text reviewed (if applicable)", "owner": "Technical Writer", "due": "-2d12h" }
                  ]
                }
              ]
            },
            {
              "id": "day",
              "title": "Release day",
              "kind": "releaseDay",
              "sections": [
                { "id": "rollout", "title": "Rollout", "items": [ { "id": "staged-rollout", "text": "Staged rollout at 10%", "owner": "rm", "due": "+30m" } ] }
              ]
            },
            {
              "id": "undo",
              "title": "Pull the release",
              "kind": "rollback",
              "sections": [
                { "id": "halt", "title": "Halt", "items": [ { "id": "halt-rollout", "text": "Rollout halted", "owner": "Engineering Lead", "due": "+0m" } ] }
              ]
            }
          ]
        }
        """;

    [Fact]
    public void Load_ValidCustomTemplate_LoadsPhasesItemsOwnersAndOffsets()
    {
        var json = ValidCustomTemplate;

        var result = ChecklistTemplateLoader.Load(json);

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var template = result.Template!;
        Assert.Equal(("mobile-release", 3, "Mobile Release"), (template.Id, template.Version, template.Name));
        Assert.Equal(["screenshots", "whats-new", "staged-rollout", "halt-rollout"], template.Items.Select(i => i.Item.Id));
        var whatsNew = template.Items.Single(i => i.Item.Id == "whats-new").Item;
        Assert.Equal(ReleaseRole.TechnicalWriter, whatsNew.Owner);
        Assert.Equal(TimeSpan.FromHours(-60), whatsNew.Due.Value);
        Assert.False(whatsNew.Required);
        Assert.Equal(ReleaseRole.UxDesigner, template.Items.First().Item.Owner);
        Assert.Equal(ReleaseRole.ReleaseManager, template.Items.Single(i => i.Item.Id == "staged-rollout").Item.Owner);
        Assert.True(template.Phases.Single(p => p.Id == "undo").OnDemand);
        Assert.Null(template.ReleaseManagerDuties);
    }

    [Fact]
    public void Load_TemplateWithManyMistakes_ReportsEveryProblemWithItsLocationInOneResult()
    {
        const string json = """
            {
              "id": "broken",
              "version": 1,
              "name": "Broken",
              "phases": [
                {
                  "id": "pre",
                  "title": "Pre",
                  "kind": "preRelease",
                  "sections": [
                    {
                      "id": "s",
                      "title": "S",
                      "items": [
                        { "id": "a", "text": "Unknown role", "owner": "Chief Vibes Officer", "due": "-1d" },
                        { "id": "a", "text": "Duplicate id", "owner": "rm", "due": "-1d" },
                        { "id": "c", "text": "Bad offset", "owner": "rm", "due": "tomorrow" },
                        { "id": "d", "owner": "rm", "due": "-1d" },
                        { "id": "e", "text": "Unknown property", "owner": "rm", "due": "-1d", "colour": "red" },
                        { "id": "f", "text": "Pre-release but after the release", "owner": "rm", "due": "+1d" }
                      ]
                    }
                  ]
                }
              ]
            }
            """;

        var result = ChecklistTemplateLoader.Load(json);

        Assert.False(result.IsValid);
        Assert.Null(result.Template);
        const string items = "phases[0].sections[0].items";
        AssertProblem(result, $"{items}[0].owner", "Chief Vibes Officer");
        AssertProblem(result, $"{items}[1].id", "duplicate item id 'a'");
        AssertProblem(result, $"{items}[2].due", "tomorrow");
        AssertProblem(result, $"{items}[3].text", "missing");
        AssertProblem(result, $"{items}[4].colour", "unknown property");
        AssertProblem(result, $"{items}[5].due", "pre-release");
        Assert.Equal(6, result.Problems.Count);
    }

    [Fact]
    public void Load_UnknownRole_ListsTheRolesThatAreAccepted()
    {
        var json = ValidCustomTemplate.Replace("\"owner\": \"ux\"", "\"owner\": \"Janitor\"", StringComparison.Ordinal);

        var result = ChecklistTemplateLoader.Load(json);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("phases[0].sections[0].items[0].owner", problem.Location);
        Assert.Contains("QA Automation Engineer", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Support Lead", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidJson_ReportsTheLineOfTheMistake()
    {
        const string json = "{\n  \"id\": \"x\",\n  \"version\": 1\n  \"name\": \"missing comma\"\n}";

        var result = ChecklistTemplateLoader.Load(json);

        var problem = Assert.Single(result.Problems);
        Assert.Null(result.Template);
        Assert.StartsWith("line 4", problem.Location, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RequiredIfApplicableItem_IsRefused()
    {
        var json = ValidCustomTemplate.Replace("\"due\": \"-2d12h\"", "\"due\": \"-2d12h\", \"required\": true", StringComparison.Ordinal);

        var result = ChecklistTemplateLoader.Load(json);

        AssertProblem(result, "phases[0].sections[0].items[1].required", "(if applicable)");
    }

    [Fact]
    public void Load_OnlyOnDemandPhases_IsRefusedBecauseNothingWouldBeScheduled()
    {
        const string json = """
            { "id": "t", "version": 1, "name": "T", "phases": [
              { "id": "rb", "title": "Rollback", "kind": "rollback", "sections": [
                { "id": "s", "title": "S", "items": [ { "id": "i", "text": "Undo", "owner": "rm", "due": "+0m" } ] } ] } ] }
            """;

        var result = ChecklistTemplateLoader.Load(json);

        AssertProblem(result, "phases", "at least one phase must be scheduled");
    }

    [Theory]
    [InlineData("\"version\": 3", "\"version\": 0", "version")]
    [InlineData("\"id\": \"mobile-release\"", "\"id\": \"Mobile Release\"", "id")]
    [InlineData("\"kind\": \"releaseDay\"", "\"kind\": \"someday\"", "phases[1].kind")]
    [InlineData("\"due\": \"+30m\"", "\"due\": \"+3d\"", "phases[1].sections[0].items[0].due")]
    [InlineData("\"due\": \"+0m\"", "\"due\": \"-1h\"", "phases[2].sections[0].items[0].due")]
    public void Load_OneMistake_IsReportedAtItsLocation(string valid, string broken, string location)
    {
        var json = ValidCustomTemplate.Replace(valid, broken, StringComparison.Ordinal);

        var result = ChecklistTemplateLoader.Load(json);

        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Location == location);
    }

    [Fact]
    public void Load_TooManyItems_IsRefusedWithTheLimit()
    {
        var items = string.Join(",", Enumerable.Range(0, ChecklistTemplateLoader.MaxItems + 1).Select(i => $$"""{ "id": "i{{i}}", "text": "Item {{i}}", "owner": "rm", "due": "-1d" }"""));
        var json = $$"""{ "id": "big", "version": 1, "name": "Big", "phases": [ { "id": "p", "title": "P", "kind": "preRelease", "sections": [ { "id": "s", "title": "S", "items": [{{items}}] } ] } ] }""";

        var result = ChecklistTemplateLoader.Load(json);

        AssertProblem(result, "phases", $"at most {ChecklistTemplateLoader.MaxItems}");
    }

    private static void AssertProblem(TemplateLoadResult result, string location, string messagePart) =>
        Assert.True(
            result.Problems.Any(p => p.Location == location && p.Message.Contains(messagePart, StringComparison.OrdinalIgnoreCase)),
            $"Expected a problem at {location} mentioning '{messagePart}'. Got:{Environment.NewLine}{string.Join(Environment.NewLine, result.Problems)}");

    [Theory]
    [InlineData("name", 101, "name", "is 101 characters; keep it to 100 at most")]
    [InlineData("purpose", 1_001, "purpose", "is 1,001 characters; keep it to 1,000 at most")]
    [InlineData("phase title", 301, "phases[0].title", "is 301 characters; keep it to 300 at most")]
    [InlineData("phase description", 1_001, "phases[0].description", "is 1,001 characters; keep it to 1,000 at most")]
    [InlineData("section title", 301, "phases[0].sections[0].title", "is 301 characters; keep it to 300 at most")]
    [InlineData("item text", 301, "phases[0].sections[0].items[0].text", "is 301 characters; keep it to 300 at most")]
    public void Load_TextOverItsLimit_ReportsWhereWithItsLengthAndLoadsNothing(string what, int length, string location, string message)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(ValidCustomTemplate)!;
        var text = new string('t', length);
        switch (what)
        {
            case "name": node["name"] = text; break;
            case "purpose": node["purpose"] = text; break;
            case "phase title": node["phases"]![0]!["title"] = text; break;
            case "phase description": node["phases"]![0]!["description"] = text; break;
            case "section title": node["phases"]![0]!["sections"]![0]!["title"] = text; break;
            default: node["phases"]![0]!["sections"]![0]!["items"]![0]!["text"] = text; break;
        }

        var result = ChecklistTemplateLoader.Load(node.ToJsonString());

        Assert.False(result.IsValid);
        Assert.Contains(new TemplateProblem(location, message), result.Problems);
    }

    [Fact]
    public void Load_DutiesAndDescriptionsTogetherTooLargeForTheReleaseRow_Refused()
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(ValidCustomTemplate)!;
        node["releaseManagerDuties"] = new System.Text.Json.Nodes.JsonObject
        {
            ["title"] = "Duties",
            ["intro"] = new string('i', 1_000),
            ["duties"] = new System.Text.Json.Nodes.JsonArray(Enumerable.Range(0, 20).Select(n => (System.Text.Json.Nodes.JsonNode?)System.Text.Json.Nodes.JsonValue.Create(new string('d', 300))).ToArray()),
        };
        AddPhases(node, 10);
        foreach (var phase in node["phases"]!.AsArray())
        {
            phase!["description"] = new string('p', 1_000);
        }

        var result = ChecklistTemplateLoader.Load(node.ToJsonString());

        var problem = Assert.Single(result.Problems);
        Assert.Contains(result.Problems, p => p == problem && p.Location == "phases" && p.Message.StartsWith("the phase and section titles, descriptions and duties are ", StringComparison.Ordinal) && p.Message.EndsWith("keep them to 15,000 at most (every release stores them)", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ElevenPhases_Refused()
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(ValidCustomTemplate)!;
        AddPhases(node, 11);

        var result = ChecklistTemplateLoader.Load(node.ToJsonString());

        Assert.Contains(new TemplateProblem("phases", "has 11 entries; at most 10 are supported"), result.Problems);
    }


    private static void AddPhases(System.Text.Json.Nodes.JsonNode template, int total)
    {
        var phases = template["phases"]!.AsArray();
        for (var n = phases.Count; n < total; n++)
        {
            var copy = phases[0]!.DeepClone();
            copy["id"] = $"extra-{n}";
            copy["sections"]![0]!["items"]![0]!["id"] = $"extra-item-{n}";
            copy["sections"]![0]!["items"]![1]!["id"] = $"extra-item-b-{n}";
            phases.Add(copy);
        }
    }
}
