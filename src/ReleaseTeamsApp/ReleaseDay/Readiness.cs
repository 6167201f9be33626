using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>One sign-off role on the go/no-go card: who holds it and how they voted.</summary>
internal sealed record SignOffStatus(ReleaseRole Role, IReadOnlyList<Person> Holders, IReadOnlyList<SignOff> Votes)
{
    public bool Vetoed => Votes.Any(v => v.Vote == GoNoGoVote.NoGo);

    /// <summary>Signed off: at least one holder voted go and none voted no-go.</summary>
    public bool SignedOff => !Vetoed && Votes.Any(v => v.Vote == GoNoGoVote.Go);
}

/// <summary>
/// Readiness for go/no-go. Score (0–100) = 40 × required pre-release items settled ÷ required pre-release items
/// + 40 × sign-off roles signed off ÷ 4 + 20 if no item is blocked, rounded to a whole number.
/// A GO is ready only with every required pre-release item settled, no blocked item and no no-go vote (a veto).
/// </summary>
internal sealed record Readiness(
    int RequiredDone,
    int RequiredTotal,
    IReadOnlyList<ChecklistItem> OpenRequired,
    IReadOnlyList<ChecklistItem> Blockers,
    IReadOnlyList<SignOffStatus> SignOffs)
{
    public const int ItemsWeight = 40;
    public const int SignOffsWeight = 40;
    public const int BlockersWeight = 20;

    /// <summary>The roles whose go the release needs, as the seed's Team Coordination and Rollback sections name them.</summary>
    public static IReadOnlyList<ReleaseRole> SignOffRoles { get; } =
        [ReleaseRole.ProductManager, ReleaseRole.QaAutomationEngineer, ReleaseRole.ManualQa, ReleaseRole.EngineeringLead];

    public double ItemsPart => RequiredTotal == 0 ? ItemsWeight : ItemsWeight * (double)RequiredDone / RequiredTotal;

    public double SignOffsPart => SignOffsWeight * (double)SignOffs.Count(s => s.SignedOff) / SignOffRoles.Count;

    public double BlockersPart => Blockers.Count == 0 ? BlockersWeight : 0;

    public int Score => (int)Math.Round(ItemsPart + SignOffsPart + BlockersPart, MidpointRounding.AwayFromZero);

    public IReadOnlyList<SignOffStatus> Vetoes => SignOffs.Where(s => s.Vetoed).ToList();

    public bool IsReady => OpenRequired.Count == 0 && Blockers.Count == 0 && Vetoes.Count == 0;

    /// <summary>Why a GO would need an override, one line per reason; empty when ready.</summary>
    public IReadOnlyList<string> Obstacles
    {
        get
        {
            var reasons = new List<string>();
            foreach (var veto in Vetoes)
            {
                reasons.AddRange(veto.Votes.Where(v => v.Vote == GoNoGoVote.NoGo).Select(v => $"no-go from {v.Voter.Name} ({veto.Role.DisplayName()}){(v.Comment is null ? "" : ": " + v.Comment)}"));
            }

            if (OpenRequired.Count > 0)
            {
                reasons.Add($"{OpenRequired.Count} required pre-release item(s) open: {string.Join("; ", OpenRequired.Take(5).Select(i => i.Text))}{(OpenRequired.Count > 5 ? "; …" : "")}");
            }

            if (Blockers.Count > 0)
            {
                reasons.Add($"{Blockers.Count} blocked item(s): {string.Join("; ", Blockers.Take(5).Select(i => i.Text))}");
            }

            return reasons;
        }
    }

    public static Readiness Of(ReleaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var preRelease = ReleaseCards.PhasesOf(state).Where(p => p.Kind == PhaseKind.PreRelease).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var required = state.Items.Where(i => preRelease.Contains(i.PhaseId) && i.Required).ToList();
        var blockers = state.Items.Where(i => i.Status == ItemStatus.Blocked).ToList();
        var votes = state.Release.GoNoGo?.SignOffs ?? [];
        var signOffs = SignOffRoles.Select(role => new SignOffStatus(role, state.Release.Roles[role], votes.Where(v => v.Role == role).ToList())).ToList();
        return new Readiness(required.Count(i => i.IsSettled), required.Count, required.Where(i => !i.IsSettled).ToList(), blockers, signOffs);
    }
}
