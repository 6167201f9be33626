using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Tests.Testing;

namespace ReleaseTeamsApp.Tests.Releases;

public sealed class ReleaseTests
{
    [Fact]
    public void Start_WindowStartInTheSpringForwardGap_IsTheFirstInstantAfterTheGap()
    {
        // 02:30 does not exist in Berlin on 2026-03-29.
        var release = new ReleaseBuilder().On(2026, 3, 29).WithWindow(new TimeOnly(2, 30), new TimeOnly(4, 0)).InTimeZone("Europe/Berlin").Build();

        var start = release.Start;

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), start);
    }

    [Fact]
    public void WindowEnd_WindowCrossingMidnight_EndsFourHoursLaterOnTheNextDay()
    {
        var release = new ReleaseBuilder().On(2026, 6, 16).WithWindow(new TimeOnly(22, 0), new TimeOnly(2, 0)).InTimeZone("America/New_York").Build();

        var end = release.WindowEnd;

        Assert.Equal(TimeSpan.FromHours(4), release.Window.Length);
        Assert.Equal(new DateTimeOffset(2026, 6, 17, 6, 0, 0, TimeSpan.Zero), end);
    }

    [Fact]
    public void RolesOf_PersonHoldingTwoRoles_ReturnsBoth()
    {
        var release = new ReleaseBuilder().AlsoWithRole(ReleaseRole.ManualQa, People.Bob).Build();

        var roles = release.Roles.RolesOf(People.Bob);

        Assert.Equal([ReleaseRole.QaAutomationEngineer, ReleaseRole.ManualQa], roles.Order());
        Assert.Equal(People.Team.Count, release.Roles.Everyone.Count());
    }

    [Fact]
    public void Assign_NewHolder_ReplacesThePreviousHolderOfTheRole()
    {
        var release = new ReleaseBuilder().Build();

        var roles = release.Roles.Assign(ReleaseRole.QaAutomationEngineer, People.Erin);

        Assert.Equal([People.Erin], roles[ReleaseRole.QaAutomationEngineer]);
        Assert.False(roles.Holds(People.Bob, ReleaseRole.QaAutomationEngineer));
        Assert.True(release.Roles.Holds(People.Bob, ReleaseRole.QaAutomationEngineer));
    }
}
