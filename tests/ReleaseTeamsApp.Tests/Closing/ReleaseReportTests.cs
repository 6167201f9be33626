using ReleaseTeamsApp.Closing;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Tests.Testing;

namespace ReleaseTeamsApp.Tests.Closing;

public sealed class ReleaseReportTests
{
    [Fact]
    public void Markdown_ListsEveryItemAndTheAuditTrail()
    {
        var planned = new ReleaseBuilder().WithRole(ReleaseRole.ReleaseManager, People.Alice).BuildPlanned();
        var state = ReleaseState.Draft(planned.Release, planned.Items);

        var markdown = ReleaseReport.Markdown(state, [planned.Created]);

        Assert.All(planned.Items, i => Assert.Contains(i.Text.Replace("|", "\\|", StringComparison.Ordinal), markdown, StringComparison.Ordinal));
        Assert.Contains(AuditActions.ReleaseCreated, markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_HasAHeaderAndOneLinePerItem_AndDefusesFormulas()
    {
        var planned = new ReleaseBuilder().WithRole(ReleaseRole.ReleaseManager, People.Alice).BuildPlanned();
        var items = planned.Items.Select((i, n) => n == 0 ? i with { Note = "=HYPERLINK(\"x\")" } : i).ToList();

        var lines = ReleaseReport.Csv(ReleaseState.Draft(planned.Release, items), [planned.Created]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(ReleaseReport.CsvHeader, lines[0]);
        Assert.Equal(items.Count, lines.Count(l => l.StartsWith("item,", StringComparison.Ordinal)));
        Assert.Single(lines, l => l.StartsWith("audit,", StringComparison.Ordinal));
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_CustomTemplateRelease_HeadsPhasesWithItsOwnTitles()
    {
        var planned = MobileTemplate.Planned(new ReleaseBuilder());
        var state = ReleaseState.Draft(planned.Release, planned.Items);

        var markdown = ReleaseReport.Markdown(state, [planned.Created]);

        Assert.Contains("### Store preparation\n", markdown, StringComparison.Ordinal);
        Assert.Contains("### Staged rollout\n", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("### store-prep", markdown, StringComparison.Ordinal);
    }
}
