using ReleaseTeamsApp.Planning;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Tests.Teams;

/// <summary>How each command's words and arguments are read, through the app's router (the same table a message meets).</summary>
public sealed class CommandParsingTests
{
    private static readonly BotRouter Router = AppRouter.Build();

    private static BotCommand Parse(string text, params Person[] mentions) => Router.Parse(text, mentions).Command;

    private static BotCommand.Invalid Refused(string text)
    {
        var command = Parse(text);
        return Assert.IsType<BotCommand.Invalid>(command);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("HELP")]
    [InlineData("?")]
    public void Parse_EmptyOrHelp_IsHelp(string text)
    {
        var (operation, command) = Router.Parse(text, []);

        Assert.Equal("HelpCommand", operation?.GetType().Name);
        Assert.IsType<BotCommand.Plain>(command);
    }

    [Fact]
    public void Parse_HelpWithMoreWords_IsAnUnknownCommandPointingToHelp()
    {
        var refused = Refused("help me please");

        Assert.Equal("I don't know the command \"help me please\".", refused.Problem);
        Assert.Equal("help", refused.Usage);
    }

    [Fact]
    public void Parse_UnknownWord_QuotesAtMostSixtyCharacters()
    {
        var refused = Refused("deployed " + new string('x', 80));

        Assert.StartsWith("I don't know the command \"deployed xxx", refused.Problem, StringComparison.Ordinal);
        Assert.EndsWith("…\".", refused.Problem, StringComparison.Ordinal);
        Assert.Equal("I don't know the command \"\".".Length + 60, refused.Problem.Length);
    }

    [Fact]
    public void Parse_NewReleaseWithEveryOption_ReadsEachOne()
    {
        var command = Parse("new release 2.5.0 on 2026-12-24 window 9:30-11:00 tz Europe/Berlin template web-app scope Checkout and search");

        Assert.Equal(new NewRelease("2.5.0", new DateOnly(2026, 12, 24), new DeploymentWindow(new TimeOnly(9, 30), new TimeOnly(11, 0)), "Europe/Berlin", "Checkout and search", "web-app"), command);
    }

    [Theory]
    [InlineData("new release 2.5.0", "A new release needs a version and a date.")]
    [InlineData("new release 2.5.0 on 24.12.2026", "\"24.12.2026\" is not a date: write it as yyyy-MM-dd, e.g. 2026-12-10.")]
    [InlineData("new release 2.5.0 on 2026-12-24 window 10-12", "The deployment window must look like window 10:00-12:00.")]
    [InlineData("new release 2.5.0 on 2026-12-24 tz Mars/Olympus", "\"Mars/Olympus\" is not a time zone I know: use an IANA name such as Europe/Berlin or America/New_York.")]
    [InlineData("new release 2.5.0 on 2026-12-24 please", "I don't understand \"please\" in a new release.")]
    public void Parse_NewReleaseMalformed_SaysWhatIsWrongWithTheUsage(string text, string problem)
    {
        var refused = Refused(text);

        Assert.Equal(problem, refused.Problem);
        Assert.Equal(BotCommandParser.NewReleaseUsage, refused.Usage);
    }

    [Fact]
    public void Parse_NewWithoutRelease_IsUnknown()
    {
        var refused = Refused("new 2.5.0");

        Assert.Equal("I don't know the command \"new 2.5.0\".", refused.Problem);
    }

    [Fact]
    public void Parse_AssignToMention_TakesTheFirstMentionedPersonAndTheVersion()
    {
        var dana = new Person("29:dana", "Dana");

        var command = Parse("assign qa <at>Dana</at> for 2.5.0", dana);

        Assert.Equal(new Assign(ReleaseRole.QaAutomationEngineer, dana, null, "2.5.0"), command);
    }

    [Fact]
    public void Parse_AssignToEmail_KeepsTheAddress()
    {
        var command = Parse("assign Release Manager dana@contoso.com");

        Assert.Equal(new Assign(ReleaseRole.ReleaseManager, null, "dana@contoso.com", null), command);
    }

    [Theory]
    [InlineData("assign", "Say which role to assign.")]
    [InlineData("assign barista dana@contoso.com", "\"barista\" is not a role. Roles: ")]
    [InlineData("assign qa", "Say who gets the QA Automation Engineer role: @mention them or write their email address.")]
    public void Parse_AssignIncomplete_SaysWhatIsMissing(string text, string problem)
    {
        var refused = Refused(text);

        Assert.StartsWith(problem, refused.Problem, StringComparison.Ordinal);
        Assert.Equal("assign qa @person (or assign qa user@contoso.com), optionally for 2.5.0", refused.Usage);
    }

    [Fact]
    public void Parse_MoveRelease_ReadsVersionAndDate()
    {
        var command = Parse("Move Release 2.5.0 to 2026-12-31");

        Assert.Equal(new MoveRelease("2.5.0", new DateOnly(2026, 12, 31)), command);
    }

    [Theory]
    [InlineData("move release 2.5.0 to tomorrow", "\"tomorrow\" is not a date: write it as yyyy-MM-dd.")]
    [InlineData("move 2.5.0 to 2026-12-31", "To move a release, name it and the new date.")]
    public void Parse_MoveMalformed_ShowsTheForm(string text, string problem)
    {
        var refused = Refused(text);

        Assert.Equal(problem, refused.Problem);
        Assert.Equal("move release 2.5.0 to 2026-12-31", refused.Usage);
    }

    [Theory]
    [InlineData("status", "status", null, null, null)]
    [InlineData("status 2.5.0", "status", null, "2.5.0", null)]
    [InlineData("gonogo 2.5.0", "go/no-go", null, "2.5.0", null)]
    [InlineData("go-no-go", "go/no-go", null, null, null)]
    [InlineData("go --override the canary is fine", "go", null, null, "the canary is fine")]
    [InlineData("no-go 2.5.0", "no-go", null, "2.5.0", null)]
    [InlineData("deploy Start 2.5.0", "deploy", "start", "2.5.0", null)]
    [InlineData("deploy start --force", "deploy", "start", null, "")]
    [InlineData("rollback --reason checkout errors", "rollback", null, null, "checkout errors")]
    [InlineData("rollback approve 2.5.0", "rollback", "approve", "2.5.0", null)]
    [InlineData("rollback restored", "rollback", "restored", null, null)]
    [InlineData("close 2.5.0", "close", null, "2.5.0", null)]
    [InlineData("metrics", "metrics", null, null, null)]
    [InlineData("outbox 2.5.0", "outbox", null, "2.5.0", null)]
    [InlineData("announce Release 2.5.0", "announce", "release", "2.5.0", null)]
    [InlineData("stakeholders add Jane.Doe@contoso.com, ops@contoso.com", "stakeholders", "add jane.doe@contoso.com, ops@contoso.com", null, null)]
    [InlineData("link github contoso/web-app team", "link", "github contoso/web-app team", null, null)]
    [InlineData("unlink ado contoso/platform 2.5.0", "unlink", "azure-devops contoso/platform", "2.5.0", null)]
    [InlineData("links", "links", null, null, null)]
    [InlineData("watch /subscriptions/1/resourceGroups/web 2.5.0", "watch", "/subscriptions/1/resourceGroups/web", "2.5.0", null)]
    [InlineData("mute reminders 2.5.0", "mute", "reminders", "2.5.0", null)]
    [InlineData("unmute reminder", "unmute", "reminders", null, null)]
    public void Parse_ReleaseFlowCommand_ReadsNameArgumentVersionAndReason(string text, string name, string? argument, string? version, string? reason)
    {
        var command = Parse(text);

        Assert.Equal(new BotCommand.Flow(name, argument, version, reason), command);
    }

    [Theory]
    [InlineData("deploy", "'deploy' needs what to do.", "deploy start, deploy done (add 2.5.0 to name the release)")]
    [InlineData("announce", "'announce' needs what to do.", "announce deployment, announce release or announce rollback (add 2.5.0 to name the release)")]
    [InlineData("stakeholders", "'stakeholders' needs what to do.", "stakeholders add jane.doe@contoso.com, ops@contoso.com · stakeholders remove jane.doe@contoso.com · stakeholders list")]
    [InlineData("mute", "Say what to mute: reminders.", "mute reminders, unmute reminders (add 2.5.0 to name the release)")]
    [InlineData("watch", "Say which Azure resource to watch: its resource id, /subscriptions/…/resourceGroups/….", "watch /subscriptions/…/resourceGroups/…/providers/… (the resource id; add 2.5.0 to name the release)")]
    [InlineData("link jira ABC", "Say what to link: github and the repository (e.g. contoso/web-app), or azure-devops and the project (e.g. contoso/platform).", "link github contoso/web-app or link azure-devops contoso/platform, optionally followed by team (every release of the team) or 2.5.0")]
    public void Parse_ReleaseFlowCommandMissingItsArgument_ShowsItsUsage(string text, string problem, string usage)
    {
        var refused = Refused(text);

        Assert.Equal(new BotCommand.Invalid(problem, usage), refused);
    }

    [Theory]
    [InlineData("releases")]
    [InlineData("templates")]
    [InlineData("my items")]
    [InlineData("My Item")]
    public void Parse_ListCommands_NeedNoArguments(string text)
    {
        var command = Parse(text);

        Assert.IsType<BotCommand.Plain>(command);
    }

    [Fact]
    public void Parse_WordOnlyStartingLikeACommand_IsNotThatCommand()
    {
        var refused = Refused("closed 2.5.0");

        Assert.Equal("I don't know the command \"closed 2.5.0\".", refused.Problem);
    }
}
