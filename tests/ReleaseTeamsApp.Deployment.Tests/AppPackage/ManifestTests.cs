using System.Text.Json.Nodes;
using ReleaseTeamsApp.Cli.AppPackage;

namespace ReleaseTeamsApp.Deployment.Tests.AppPackage;

public sealed class ManifestTests
{
    // The bot's commands (DESIGN.md and the command parser); the manifest may list at most 10 per scope.
    private static readonly HashSet<string> BotCommands =
    [
        "help", "new release", "releases", "status", "my items", "assign", "go/no-go", "deploy start",
        "deploy done", "rollback", "move release", "metrics", "outbox", "announce", "close",
    ];

    private static readonly Lazy<ManifestSchema> Schema = new(() =>
        ManifestSchema.Load(Path.Combine(RepositoryFiles.AppPackage, "schema", "MicrosoftTeams.v1.30.schema.json")));

    [Fact]
    public void FillManifest_LocalSampleValues_MatchesTeamsSchema()
    {
        var manifest = FillLocal();

        var errors = Schema.Value.Validate(manifest);

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_ShortNameOverThirtyChars_ReportsNameShort()
    {
        var manifest = JsonNode.Parse(FillLocal())!;
        manifest["name"]!["short"] = new string('x', 31);

        var errors = Schema.Value.Validate(manifest.ToJsonString());

        Assert.Contains(errors, e => e.StartsWith("/name/short", StringComparison.Ordinal));
    }

    [Fact]
    public void Template_SchemaUrlAndVersion_AreV130()
    {
        var manifest = JsonNode.Parse(RepositoryFiles.Read("appPackage/manifest.json"))!;

        var (schema, version) = ((string?)manifest["$schema"], (string?)manifest["manifestVersion"]);

        Assert.Equal("https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json", schema);
        Assert.Equal("1.30", version);
    }

    [Fact]
    public void CommandLists_EveryCommand_IsABotCommandWithinTeamsLimits()
    {
        var commandLists = JsonNode.Parse(FillLocal())!["bots"]![0]!["commandLists"]!.AsArray();

        var commands = commandLists.SelectMany(list => list!["commands"]!.AsArray()).ToList();

        Assert.NotEmpty(commands);
        Assert.All(commandLists, list => Assert.InRange(list!["commands"]!.AsArray().Count, 1, 10));
        Assert.All(commands, command =>
        {
            var title = (string)command!["title"]!;
            Assert.Contains(title, BotCommands);
            Assert.InRange(title.Length, 1, 32);
            Assert.InRange(((string?)command["description"])?.Length ?? 0, 1, 128);
        });
        Assert.Equal(["team"], commandLists.SelectMany(l => l!["scopes"]!.AsArray().Select(s => (string)s!)).Order(StringComparer.Ordinal));
        Assert.All(commands, command => Assert.DoesNotMatch("<[A-Za-z]", (string?)command!["description"] ?? ""));
    }

    [Fact]
    public void Help_CommandsLeftOutOfTheMenu_AreMentionedInHelpDescription()
    {
        var commands = JsonNode.Parse(FillLocal())!["bots"]![0]!["commandLists"]![0]!["commands"]!.AsArray();

        var listed = commands.Select(c => (string)c!["title"]!).ToHashSet();
        var help = (string)commands.Single(c => (string?)c!["title"] == "help")!["description"]!;

        Assert.All(BotCommands.Except(listed), missing => Assert.Contains(missing, help, StringComparison.Ordinal));
    }

    [Fact]
    public void Tabs_Template_OneConfigurableChannelTabAndNoStaticTab()
    {
        var manifest = JsonNode.Parse(FillLocal())!;

        var tab = manifest["configurableTabs"]!.AsArray().Single()!;

        Assert.Null(manifest["staticTabs"]);
        Assert.Equal("https://example.devtunnels.ms/api/tab/config.html", (string?)tab["configurationUrl"]);
        Assert.True((bool)tab["canUpdateConfiguration"]!);
        Assert.Equal(["team"], tab["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(["channelTab"], tab["context"]!.AsArray().Select(s => (string?)s));
    }

    // The app runs releases in team channels only: that is what the bot and the tab are tested in. Personal and group chat
    // are not offered until they work there; shared and private channels are not claimed.
    [Fact]
    public void Scopes_Template_OfferOnlyTheTestedTeamScopeAndStandardChannels()
    {
        var manifest = JsonNode.Parse(FillLocal())!;

        var botScopes = manifest["bots"]![0]!["scopes"]!.AsArray().Select(s => (string?)s);

        Assert.Equal(["team"], botScopes);
        Assert.Equal("team", (string?)manifest["defaultInstallScope"]);
        Assert.Equal("bot", (string?)manifest["defaultGroupCapability"]!["team"]);
        Assert.Empty(manifest["supportedChannelTypes"]!.AsArray());
    }

    [Fact]
    public void Permissions_Template_OnlyIdentityAndMessageTeamMembersWithoutRsc()
    {
        var manifest = JsonNode.Parse(FillLocal())!;

        var permissions = manifest["permissions"]!.AsArray().Select(p => (string?)p);

        Assert.Equal(["identity", "messageTeamMembers"], permissions);
        Assert.Null(manifest["authorization"]);
    }

    private static string FillLocal() =>
        new AppPackageBuilder(RepositoryFiles.AppPackage).FillManifest(Path.Combine(RepositoryFiles.AppPackage, "env", ".env.local"), _ => null);
}
