using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Tests.Signals;

public sealed class ItemSignalTemplateTests
{
    private static string Template(string signal) => $$"""
        {
          "id": "signalled",
          "version": 1,
          "name": "Signalled",
          "phases": [
            {
              "id": "before", "title": "Before", "kind": "preRelease",
              "sections": [
                { "id": "code", "title": "Code", "items": [
                  { "id": "prs", "text": "PRs merged", "owner": "eng", "due": "-3d", "signal": {{signal}} },
                  { "id": "notes", "text": "Notes written", "owner": "rm", "due": "-2d" }
                ] }
              ]
            }
          ]
        }
        """;

    [Fact]
    public void Load_PullsSignalWithLabel_KeepsTheSignalOnTheItem()
    {
        var result = ChecklistTemplateLoader.Load(Template("""{ "type": "github.pulls", "label": "release/{version}" }"""));

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var item = result.Template!.Items.Single(i => i.Item.Id == "prs").Item;
        Assert.Equal(new ItemSignal { Type = SignalTypes.GitHubPulls, Label = "release/{version}" }, item.Signal);
        Assert.Null(result.Template.Items.Single(i => i.Item.Id == "notes").Item.Signal);
    }

    [Fact]
    public void Load_PullsSignalWithoutMilestoneOrLabel_DefaultsToTheVersionMilestone()
    {
        var result = ChecklistTemplateLoader.Load(Template("""{ "type": "github.pulls" }"""));

        Assert.Equal("{version}", result.Template!.Items.First().Item.Signal!.Milestone);
    }

    [Theory]
    [InlineData("""{ "type": "github.magic" }""", "phases[0].sections[0].items[0].signal.type", "unknown signal 'github.magic'")]
    [InlineData("""{ "name": "smoke" }""", "phases[0].sections[0].items[0].signal.type", "is missing")]
    [InlineData("""{ "type": "github.workflow" }""", "phases[0].sections[0].items[0].signal.name", "is missing; a github.workflow signal needs it")]
    [InlineData("""{ "type": "github.checks", "name": "smoke", "environment": "prod" }""", "phases[0].sections[0].items[0].signal.environment", "is not a field of a github.checks signal")]
    [InlineData("""{ "type": "github.pulls", "milestone": "{version}", "label": "release" }""", "phases[0].sections[0].items[0].signal", "either a milestone or a label")]
    [InlineData("""{ "type": "github.release", "tag": "v{release}" }""", "phases[0].sections[0].items[0].signal.tag", "unknown placeholder '{release}'")]
    [InlineData("""{ "type": "monitor.quiet", "severity": "critical", "window": "24h" }""", "phases[0].sections[0].items[0].signal.severity", "not a severity")]
    [InlineData("""{ "type": "monitor.quiet", "window": "forever" }""", "phases[0].sections[0].items[0].signal.window", "not a window length")]
    [InlineData("""{ "type": "monitor.quiet", "window": "1h", "from": "lunch" }""", "phases[0].sections[0].items[0].signal.from", "not a window start")]
    [InlineData("""{ "type": "ado.pipeline", "name": "" }""", "phases[0].sections[0].items[0].signal.name", "non-empty string")]
    [InlineData("\"github.pulls\"", "phases[0].sections[0].items[0].signal", "must be an object")]
    [InlineData("""{ "type": "ado.pulls", "branch": "release/{version}", "label": "release" }""", "phases[0].sections[0].items[0].signal", "either a branch (the pull requests' target) or a label")]
    [InlineData("""{ "type": "ado.pulls", "milestone": "{version}" }""", "phases[0].sections[0].items[0].signal.milestone", "is not a field of a ado.pulls signal")]
    [InlineData("""{ "type": "ado.pulls", "branch": "refs/tags/v{version}" }""", "phases[0].sections[0].items[0].signal.branch", "'refs/tags/v{version}' is not a branch")]
    [InlineData("""{ "type": "ado.pulls", "label": "" }""", "phases[0].sections[0].items[0].signal.label", "non-empty string")]
    [InlineData("""{ "type": "ado.pulls", "branch": "release/{major}" }""", "phases[0].sections[0].items[0].signal.branch", "unknown placeholder '{major}'")]
    [InlineData("""{ "type": "monitor.quiet", "window": "1h", "resources": ["/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/shop", "webshop"] }""", "phases[0].sections[0].items[0].signal.resources[1]", "is not an Azure resource id")]
    [InlineData("""{ "type": "monitor.quiet", "window": "1h", "resources": [] }""", "phases[0].sections[0].items[0].signal.resources", "1 to 20 Azure resource ids")]
    public void Load_BadSignal_ReportsTheProblemAtItsLocation(string signal, string location, string message)
    {
        var result = ChecklistTemplateLoader.Load(Template(signal));

        Assert.False(result.IsValid);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(location, problem.Location);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PipelineSignalWithRef_MatchesRunsOfThatRefOnly()
    {
        var result = ChecklistTemplateLoader.Load(Template("""{ "type": "ado.pipeline", "name": "webshop-cd", "stage": "Production", "ref": "refs/heads/hotfix/{version}" }"""));

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var signal = result.Template!.Items.Single(i => i.Item.Id == "prs").Item.Signal!;
        Assert.True(signal.MatchesRef("refs/heads/hotfix/1.5.0", "1.5.0"));
        Assert.False(signal.MatchesRef("refs/heads/release/1.5.0", "1.5.0"));
    }

    [Fact]
    public void Load_AzurePullsSignalWithoutBranchOrLabel_WaitsForThePullRequestsIntoTheReleaseBranch()
    {
        var result = ChecklistTemplateLoader.Load(Template("""{ "type": "ado.pulls" }"""));

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var signal = result.Template!.Items.First().Item.Signal!;
        Assert.Equal("release/{version}", signal.Ref);
        Assert.Equal("Azure DevOps: every pull request into release/1.5.0 merged", signal.Describe("1.5.0"));
    }

    [Fact]
    public void Load_AzurePullsSignalWithABranch_WaitsForThePullRequestsIntoThatBranch()
    {
        var result = ChecklistTemplateLoader.Load(Template("""{ "type": "ado.pulls", "branch": "refs/heads/hotfix/{version}" }"""));

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal("Azure DevOps: every pull request into refs/heads/hotfix/1.5.0 merged", result.Template!.Items.First().Item.Signal!.Describe("1.5.0"));
    }

    [Fact]
    public void Load_BuiltInChecklistWithTheReadmeEditForAzureDevOps_ChecksThePullRequestsItemWithAdoPulls()
    {
        using var stream = typeof(ChecklistTemplateLoader).Assembly.GetManifestResourceStream("Checklists.octoacme-release-coordination.json")!;
        using var reader = new StreamReader(stream);
        var builtIn = reader.ReadToEnd();
        // The README's sed: a new id, github.pulls becomes ado.pulls, the milestone line goes.
        var edited = string.Join('\n', builtIn.Replace("\"id\": \"octoacme-release-coordination\"", "\"id\": \"octoacme-azure-devops\"", StringComparison.Ordinal)
            .Replace("\"type\": \"github.pulls\",", "\"type\": \"ado.pulls\"", StringComparison.Ordinal)
            .Split('\n').Where(line => !line.Contains("\"milestone\": \"{version}\"", StringComparison.Ordinal)));

        var result = ChecklistTemplateLoader.Load(edited);

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal("octoacme-azure-devops", result.Template!.Id);
        var item = result.Template.Items.Single(i => i.Item.Id == "planning-prs-merged").Item;
        Assert.Equal("All PRs tagged for release are merged and tested", item.Text);
        Assert.Equal(new ItemSignal { Type = SignalTypes.AzureDevOpsPulls, Ref = "release/{version}" }, item.Signal);
        Assert.Equal(ChecklistTemplateLoader.Default.Items.Count(), result.Template.Items.Count());
    }

    [Fact]
    public void Load_QuietSignalWithResources_KeepsTheResourcesToWatch()
    {
        const string Resource = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/shop/providers/Microsoft.Web/sites/webshop";

        var result = ChecklistTemplateLoader.Load(Template($$"""{ "type": "monitor.quiet", "window": "1h", "resources": ["{{Resource}}"] }"""));

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal([Resource], result.Template!.Items.Single(i => i.Item.Id == "prs").Item.Signal!.Resources!);
    }

    [Fact]
    public void Load_QuietSignal_ReadsSeverityWindowAndStart()
    {
        var result = ChecklistTemplateLoader.Load(Template("""{ "type": "monitor.quiet", "severity": "Sev2", "window": "1d12h", "from": "deployment.finish" }"""));

        var signal = result.Template!.Items.First().Item.Signal!;
        Assert.Equal(2, signal.Severity);
        Assert.Equal(TimeSpan.FromHours(36), signal.Window);
        Assert.Equal(QuietFrom.DeploymentFinish, signal.From);
    }

    [Fact]
    public void Default_BuiltInChecklist_SignalsTheItemsOutsideTeamsCanSettle()
    {
        var signals = ChecklistTemplateLoader.Default.Items.Where(i => i.Item.Signal is not null).ToDictionary(i => i.Item.Id, i => i.Item.Signal!);

        Assert.Equal(SignalTypes.GitHubPulls, signals["planning-prs-merged"].Type);
        Assert.Equal(SignalTypes.GitHubRelease, signals["planning-release-notes"].Type);
        Assert.Equal("Smoke tests (staging)", signals["preflight-staging-smoke"].Name);
        Assert.Equal("production", signals["deploy-initiated"].Environment);
        Assert.Equal(SignalTypes.MonitorQuiet, signals["deploy-no-critical-errors"].Type);
        Assert.Equal(TimeSpan.FromHours(24), signals["postdeploy-monitoring-48h"].Window);
        Assert.DoesNotContain("planning-scope", signals.Keys);
    }

    [Theory]
    [InlineData("release/1.5.0", true)]
    [InlineData("refs/heads/release/1.5.0", true)]
    [InlineData("refs/tags/v1.5.0", true)]
    [InlineData("v1.5.0", true)]
    [InlineData("main", false)]
    [InlineData("release/1.5.01", false)]
    public void MatchesRef_DefaultRefs_AcceptTheReleaseBranchOrTagOnly(string gitRef, bool expected)
    {
        var signal = new ItemSignal { Type = SignalTypes.GitHubWorkflow, Name = "smoke" };

        Assert.Equal(expected, signal.MatchesRef(gitRef, "1.5.0"));
    }
}
