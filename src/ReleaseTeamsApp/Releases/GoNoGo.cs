
namespace ReleaseTeamsApp.Releases;

public enum GoNoGoVote
{
    Go,
    NoGo,
}

/// <summary>One role holder's go / no-go vote on the go/no-go card; a no-go is a veto.</summary>
public sealed record SignOff(ReleaseRole Role, Person Voter, GoNoGoVote Vote, string? Comment, DateTimeOffset At);

/// <summary>The Release Manager's recorded decision, with the readiness score it was taken at and the override reason if it went against readiness.</summary>
public sealed record GoNoGoDecision(GoNoGoVote Outcome, Person DecidedBy, DateTimeOffset At, int Score, string? Comment = null, string? OverrideReason = null);

/// <summary>The release's go/no-go: the sign-offs (latest vote per person and role), the decision, and the posted card to keep updated.</summary>
public sealed record GoNoGo(IReadOnlyList<SignOff> SignOffs, GoNoGoDecision? Decision = null, string? CardActivityId = null)
{
    public static GoNoGo Empty { get; } = new([]);

    /// <summary>Replaces this person's earlier vote for the same role.</summary>
    public GoNoGo With(SignOff vote) =>
        this with { SignOffs = [.. SignOffs.Where(s => !(s.Role == vote.Role && s.Voter.IsSame(vote.Voter))), vote] };
}
