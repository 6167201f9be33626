using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Closing;

/// <summary>Who closes a release: its Release Manager with the close command, or the follow-up sweep once every post-release item is settled.</summary>
public abstract record Closer
{
    private Closer()
    {
    }

    /// <summary>Who the app is in the audit trail when it acts on its own.</summary>
    public static Person App { get; } = new("app:releaseteamsapp", "Release bot");

    public static Closer AllSettled { get; } = new Sweep();

    /// <summary>The close command; with open items it needs <paramref name="ForceReason"/>.</summary>
    public sealed record Manager(Person Actor, string? ForceReason) : Closer;

    /// <summary>The follow-up sweep: every post-release item is done or n/a.</summary>
    public sealed record Sweep : Closer;
}
