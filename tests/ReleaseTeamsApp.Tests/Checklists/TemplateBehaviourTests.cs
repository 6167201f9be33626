using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Tests.Checklists;

/// <summary>The template's "behaviour" field: parsed, checked with its location, and declared on the built-in checklist.</summary>
public sealed class TemplateBehaviourTests
{
    private static string Template(string rollbackItems, string dayItemExtra = "") => $$"""
        {
          "id": "behaviours", "version": 1, "name": "Behaviours",
          "phases": [
            { "id": "day", "title": "Day", "kind": "releaseDay", "sections": [
              { "id": "go", "title": "Go", "items": [ { "id": "ship", "text": "Ship", "owner": "rm", "due": "+0m"{{dayItemExtra}} } ] } ] },
            { "id": "undo", "title": "Undo", "kind": "rollback", "sections": [
              { "id": "halt", "title": "Halt", "items": [ {{rollbackItems}} ] } ] }
          ]
        }
        """;

    [Fact]
    public void Load_DeclaredBehaviour_IsOnTheItem()
    {
        var result = ChecklistTemplateLoader.Load(Template("""{ "id": "back", "text": "Back online", "owner": "eng", "due": "+1h", "behaviour": "rollback.restore" }"""));

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal(ItemBehaviour.RollbackRestore, result.Template!.Items.Single(i => i.Item.Id == "back").Item.Behaviour);
        Assert.Null(result.Template.Items.Single(i => i.Item.Id == "ship").Item.Behaviour);
    }

    [Fact]
    public void Load_UnknownBehaviour_ReportsItsLocation()
    {
        var result = ChecklistTemplateLoader.Load(Template("""{ "id": "back", "text": "Back online", "owner": "eng", "due": "+1h", "behaviour": "rollback.undo" }"""));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("phases[1].sections[0].items[0].behaviour", problem.Location);
        Assert.StartsWith("unknown behaviour 'rollback.undo'; use one of: rollback.incident, rollback.decision, rollback.restore", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RollbackBehaviourOutsideTheRollbackPhase_IsAProblem()
    {
        var result = ChecklistTemplateLoader.Load(Template("""{ "id": "back", "text": "Back online", "owner": "eng", "due": "+1h" }""", """, "behaviour": "rollback.restore" """));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("phases[0].sections[0].items[0].behaviour", problem.Location);
        Assert.Contains("phase of kind rollback", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SameBehaviourOnTwoItems_NamesTheFirst()
    {
        var result = ChecklistTemplateLoader.Load(Template("""
            { "id": "back", "text": "Back online", "owner": "eng", "due": "+1h", "behaviour": "rollback.restore" },
            { "id": "back-again", "text": "Back online again", "owner": "eng", "due": "+2h", "behaviour": "rollback.restore" }
            """));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("phases[1].sections[0].items[1].behaviour", problem.Location);
        Assert.Equal("rollback.restore is already declared at phases[1].sections[0].items[0].behaviour; one item per behaviour", problem.Message);
    }

    [Fact]
    public void Default_DeclaresEveryBehaviourOnce()
    {
        var declared = ChecklistTemplateLoader.Default.Items.Where(i => i.Item.Behaviour is not null).ToDictionary(i => i.Item.Behaviour!, i => i.Item.Id);

        Assert.Equal(ItemBehaviour.Known.Order(StringComparer.Ordinal), declared.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("rollback-executed", declared[ItemBehaviour.RollbackRestore]);
        Assert.Equal("deploy-no-critical-errors", declared[ItemBehaviour.MonitoringCheckIn24h]);
        Assert.Equal("postdeploy-monitoring-48h", declared[ItemBehaviour.MonitoringCheckIn48h]);
    }
}
