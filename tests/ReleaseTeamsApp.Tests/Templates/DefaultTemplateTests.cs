using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Tests.Templates;

/// <summary>The built-in template is the seed checklist, item for item (a copy of the seed lives in Templates/Seed).</summary>
public sealed class DefaultTemplateTests
{
    private static readonly ChecklistTemplate Template = ChecklistTemplateLoader.Default;
    private static readonly Seed SeedChecklist = Seed.Read(Path.Combine(AppContext.BaseDirectory, "Templates", "Seed", "release-coordination-checklist.md"));

    [Fact]
    public void Default_EverySeedCheckbox_IsATemplateItemVerbatimInTheSamePhaseAndSection()
    {
        var templateItems = Template.Items.ToList();

        var missing = SeedChecklist.Items
            .Where(seed => !templateItems.Any(t => t.Item.Text == seed.Text && t.Phase.Title == seed.Phase && (seed.Section is null || t.Section.Title == seed.Section)))
            .Select(seed => $"{seed.Phase} / {seed.Section ?? "(no section)"} / {seed.Text}")
            .ToList();

        Assert.Empty(missing);
        Assert.Equal(45, SeedChecklist.Items.Count);
    }

    [Fact]
    public void Default_ItemCount_EqualsSeedCheckboxCountWithNoExtraItems()
    {
        var seedTexts = SeedChecklist.Items.Select(i => i.Text).ToList();

        var templateTexts = Template.Items.Select(i => i.Item.Text).ToList();

        Assert.Equal(seedTexts, templateTexts);
    }

    [Fact]
    public void Default_PhasesAndSections_FollowTheSeedInOrder()
    {
        var seedPhases = SeedChecklist.Items.Select(i => i.Phase).Distinct().ToList();
        var seedSections = SeedChecklist.Items.Where(i => i.Section is not null).Select(i => i.Section!).Distinct().ToList();

        var phases = Template.Phases.Select(p => p.Title).ToList();
        var sections = Template.Phases.Where(p => !p.OnDemand).SelectMany(p => p.Sections).Select(s => s.Title).ToList();

        Assert.Equal(seedPhases, phases);
        Assert.Equal(seedSections, sections);
        Assert.Equal([PhaseKind.PreRelease, PhaseKind.ReleaseDay, PhaseKind.PostRelease, PhaseKind.Rollback], Template.Phases.Select(p => p.Kind));
    }

    [Fact]
    public void Default_PurposeAndRollbackIntro_AreTheSeedsWords()
    {
        var rollback = Template.Phases.Single(p => p.Kind == PhaseKind.Rollback);

        Assert.Equal(SeedChecklist.Purpose, Template.Purpose);
        Assert.Equal("If critical issues are detected:", rollback.Description);
    }

    [Fact]
    public void Default_IfApplicableItems_AreOptionalAndEverythingElseRequired()
    {
        var items = Template.Items.Select(i => i.Item).ToList();

        var optional = items.Where(i => !i.Required).Select(i => i.Text).ToList();

        Assert.Equal(["Database migrations tested (if applicable)", "Feature flags configured (if applicable)"], optional);
        Assert.All(items.Where(i => !i.Text.Contains("(if applicable)", StringComparison.Ordinal)), i => Assert.True(i.Required, i.Text));
    }

    [Fact]
    public void Default_RollbackPhase_IsOnDemandAndTheOthersAreScheduled()
    {
        var phases = Template.Phases;

        Assert.True(phases.Single(p => p.Kind == PhaseKind.Rollback).OnDemand);
        Assert.All(phases.Where(p => p.Kind != PhaseKind.Rollback), p => Assert.False(p.OnDemand, p.Title));
    }

    [Fact]
    public void Default_ReleaseManagerResponsibilities_AreDutiesNotCheckboxItems()
    {
        var duties = Template.ReleaseManagerDuties;

        Assert.NotNull(duties);
        Assert.Equal("Release Manager Responsibilities Checklist", duties.Title);
        Assert.Equal("Throughout the release process, ensure:", duties.Intro);
        Assert.Equal(SeedChecklist.Duties, duties.Duties);
        Assert.DoesNotContain(Template.Items, i => SeedChecklist.Duties.Contains(i.Item.Text));
    }

    [Fact]
    public void Default_PreReleaseItems_AreDueBeforeTheRelease()
    {
        var items = ItemsOf(PhaseKind.PreRelease);

        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.InRange(i.Due.Value, TimeSpan.FromDays(-14), TimeSpan.FromMinutes(-1)));
    }

    [Fact]
    public void Default_ReleaseDayItems_AreDueFromTheWindowStartUpToTwoDaysLater()
    {
        var items = ItemsOf(PhaseKind.ReleaseDay);

        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.InRange(i.Due.Value, TimeSpan.Zero, TimeSpan.FromDays(2)));
    }

    [Fact]
    public void Default_PostReleaseItems_AreDueWithinTheFirstWeek()
    {
        var items = ItemsOf(PhaseKind.PostRelease);

        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.InRange(i.Due.Value, TimeSpan.FromDays(1), TimeSpan.FromDays(7)));
    }

    [Fact]
    public void Default_ItemIds_AreUniqueAndEveryItemHasAnOwner()
    {
        var items = Template.Items.Select(i => i.Item).ToList();

        Assert.Equal(items.Count, items.Select(i => i.Id).Distinct().Count());
        Assert.All(items, i => Assert.Contains(i.Owner, ReleaseRoles.All));
        Assert.Equal(ReleaseRole.QaAutomationEngineer, items.Single(i => i.Text == "QA Automation Engineer confirms automated test coverage").Owner);
        Assert.Equal(ReleaseRole.SupportLead, items.Single(i => i.Text == "Support Lead receives detailed handoff").Owner);
    }

    private static List<TemplateItem> ItemsOf(PhaseKind kind) => Template.Items.Where(i => i.Phase.Kind == kind).Select(i => i.Item).ToList();

    /// <summary>The seed markdown: "##" phases, "###" sections, "- [ ]" items, "- " duties under the RM responsibilities.</summary>
    private sealed record Seed(string Purpose, IReadOnlyList<SeedItem> Items, IReadOnlyList<string> Duties)
    {
        public static Seed Read(string path)
        {
            string? phase = null;
            string? section = null;
            var purpose = new List<string>();
            var items = new List<SeedItem>();
            var duties = new List<string>();
            foreach (var raw in File.ReadLines(path))
            {
                var line = raw.TrimEnd();
                if (line.StartsWith("## ", StringComparison.Ordinal))
                {
                    phase = line[3..].Trim();
                    section = null;
                }
                else if (line.StartsWith("### ", StringComparison.Ordinal))
                {
                    section = line[4..].Trim();
                }
                else if (line.StartsWith("- [ ] ", StringComparison.Ordinal))
                {
                    items.Add(new SeedItem(phase!, section, line[6..].Trim()));
                }
                else if (line.StartsWith("- ", StringComparison.Ordinal) && phase == "Release Manager Responsibilities Checklist")
                {
                    duties.Add(line[2..].Trim());
                }
                else if (phase == "Purpose" && line.Length > 0)
                {
                    purpose.Add(line.Trim());
                }
            }

            return new Seed(string.Join(" ", purpose), items, duties);
        }
    }

    private sealed record SeedItem(string Phase, string? Section, string Text);
}
