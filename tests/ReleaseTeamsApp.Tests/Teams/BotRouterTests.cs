using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Planning;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Tests.Teams;

/// <summary>The router's table: one owner per command word and card verb, and help read from the declarations.</summary>
public sealed class BotRouterTests
{
    /// <summary>help as it reads today, line by line and in this order.</summary>
    private static readonly string[] HelpUsages =
    [
        "help",
        "new release 2.5.0 on 2026-12-24 window 10:00-12:00 tz Europe/Berlin template web-app scope what ships (all after the date is optional)",
        "releases",
        "templates",
        "status, or status 2.5.0",
        "my items",
        "assign qa @person (or assign qa user@contoso.com), optionally for 2.5.0",
        "move release 2.5.0 to 2026-12-31",
        "mute reminders, unmute reminders (add 2.5.0 to name the release)",
        "go/no-go, or go/no-go 2.5.0",
        "deploy start, deploy done (add 2.5.0 to name the release)",
        "rollback, or rollback 2.5.0",
        "announce deployment, announce release or announce rollback (add 2.5.0 to name the release)",
        "metrics, or metrics 2.5.0",
        "outbox, or outbox 2.5.0",
        "stakeholders add jane.doe@contoso.com, ops@contoso.com · stakeholders remove jane.doe@contoso.com · stakeholders list",
        "close, or close 2.5.0",
        "link github contoso/web-app or link azure-devops contoso/platform, optionally followed by team (every release of the team) or 2.5.0",
        "links, or links 2.5.0",
        "watch /subscriptions/…/resourceGroups/…/providers/… (the resource id; add 2.5.0 to name the release)",
    ];

    [Fact]
    public void Constructor_TwoOperationsDeclareTheSameCommandWord_ThrowsNamingBoth()
    {
        var first = new FakeOperation(["deploy"], []);
        var second = new OtherFakeOperation(["Deploy"], []);

        var error = Assert.Throws<InvalidOperationException>(() => new BotRouter([first, second], null!, null!));

        Assert.Contains("\"Deploy\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FakeOperation), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(OtherFakeOperation), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TwoOperationsDeclareTheSameVerb_ThrowsNamingBoth()
    {
        var first = new FakeOperation([], ["release.deploy"]);
        var second = new OtherFakeOperation([], ["release.deploy"]);

        var error = Assert.Throws<InvalidOperationException>(() => new BotRouter([first, second], null!, null!));

        Assert.Contains("\"release.deploy\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FakeOperation), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(OtherFakeOperation), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AnOperationReclaimsAnAppCommand_FailsAtStartup()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AppRouter.Build(s => s.AddSingleton<BotOperation>(new FakeOperation(["status"], []))));

        Assert.Contains("StatusCommand", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FakeOperation), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AnOperationReclaimsAnAppVerb_FailsAtStartup()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AppRouter.Build(s => s.AddSingleton<BotOperation>(new FakeOperation([], [StartCards.VerbHelp]))));

        Assert.Contains(nameof(StartActions), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FakeOperation), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_AppOperations_ListEveryCommandInTheOrderPeopleKnow()
    {
        var router = AppRouter.Build();

        Assert.Equal(HelpUsages, router.Help.Select(h => h.Command));
    }

    [Fact]
    public void Help_OneMoreOperationRegistered_ShowsItsLineAtItsPlace()
    {
        var router = AppRouter.Build(s => s.AddSingleton<BotOperation>(new FakeOperation(["freeze"], [], new CommandHelp("freeze, or freeze 2.5.0", "stop changes to the release", 45))));

        var usages = router.Help.Select(h => h.Command).ToList();

        Assert.Equal(HelpUsages.Length + 1, usages.Count);
        Assert.Equal(usages.IndexOf("status, or status 2.5.0") + 1, usages.IndexOf("freeze, or freeze 2.5.0"));
        Assert.Contains("**freeze, or freeze 2.5.0** — stop changes to the release", StartCards.Help("Release Pilot", router.Help).ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OneMoreOperationRegistered_RoutesItsWordToIt()
    {
        var freeze = new FakeOperation(["freeze"], []);
        var router = AppRouter.Build(s => s.AddSingleton<BotOperation>(freeze));

        var (operation, command) = router.Parse("Freeze 2.5.0 now", []);

        Assert.Same(freeze, operation);
        Assert.Equal(new BotCommand.Flow("freeze", null, "2.5.0 now"), command);
    }

    [Fact]
    public void OwnerOf_AppVerbs_EachHasOneOperation()
    {
        var router = AppRouter.Build();

        Assert.IsType<StartActions>(router.OwnerOf(StartCards.VerbNewReleaseForm));
        Assert.IsType<RoleStaffing>(router.OwnerOf(RoleStaffing.VerbAssign));
        Assert.IsAssignableFrom<ReleaseFlowHandler>(router.OwnerOf(global::ReleaseTeamsApp.ReleaseDay.ReleaseDayCards.VerbDeployStart));
        Assert.Equal("ChecklistVerbs", router.OwnerOf(global::ReleaseTeamsApp.Checklist.ReleaseCards.VerbComplete)?.GetType().Name);
        Assert.Null(router.OwnerOf("release.unheard-of"));
        Assert.Null(router.OwnerOf(null));
    }

    private class FakeOperation(IReadOnlyList<string> words, IReadOnlyCollection<string> verbs, params CommandHelp[] help) : BotOperation
    {
        public override IReadOnlyList<CommandWord> Commands => [.. words.Select(w => new CommandWord(w))];

        public override IReadOnlyList<CommandHelp> Help => help;

        public override IReadOnlyCollection<string> Verbs => verbs;

        public override BotCommand Parse(CommandText text) => new BotCommand.Flow(text.Name, null, text.Rest);
    }

    private sealed class OtherFakeOperation(IReadOnlyList<string> words, IReadOnlyCollection<string> verbs) : FakeOperation(words, verbs);
}
