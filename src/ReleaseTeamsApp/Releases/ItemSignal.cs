using System.Text.Json.Serialization;

namespace ReleaseTeamsApp.Releases;

/// <summary>The signal kinds an item can declare in its template: what, outside Teams, settles the item.</summary>
internal static class SignalTypes
{
    public const string GitHubPulls = "github.pulls";
    public const string GitHubChecks = "github.checks";
    public const string GitHubWorkflow = "github.workflow";
    public const string GitHubRelease = "github.release";
    public const string GitHubDeployment = "github.deployment";
    public const string AzureDevOpsPipeline = "ado.pipeline";
    public const string AzureDevOpsPulls = "ado.pulls";
    public const string MonitorQuiet = "monitor.quiet";

    public static IReadOnlyList<string> All { get; } = [GitHubPulls, GitHubChecks, GitHubWorkflow, GitHubRelease, GitHubDeployment, AzureDevOpsPipeline, AzureDevOpsPulls, MonitorQuiet];

    public static bool IsGitHub(string type) => type.StartsWith("github.", StringComparison.Ordinal);
}

/// <summary>Where a monitor.quiet window starts.</summary>
public enum QuietFrom
{
    DeploymentStart,
    DeploymentFinish,
}

/// <summary>
/// What settles an item by itself, as the template declares it ("{version}" in a value becomes the release's version).
/// Only the fields of its <see cref="Type"/> are set; the loader rejects the others.
/// </summary>
public sealed record ItemSignal
{
    public required string Type { get; init; }

    /// <summary>github.checks / github.workflow: the check run or workflow name; ado.pipeline: the pipeline name.</summary>
    public string? Name { get; init; }

    /// <summary>github.pulls: the milestone every pull request of the release is in.</summary>
    public string? Milestone { get; init; }

    /// <summary>github.pulls / ado.pulls: the label every pull request of the release carries (instead of a milestone, or the target branch).</summary>
    public string? Label { get; init; }

    /// <summary>
    /// github.checks / github.workflow / github.deployment / ado.pipeline: the branch or tag the run must be on; default: the release's refs.
    /// ado.pulls: the branch the pull requests merge into (template field "branch"), unless a label is given.
    /// </summary>
    public string? Ref { get; init; }

    /// <summary>github.release: the release's tag; default v{version}.</summary>
    public string? Tag { get; init; }

    /// <summary>github.deployment: the environment (e.g. production).</summary>
    public string? Environment { get; init; }

    /// <summary>ado.pipeline: the stage that must reach the result; null for the whole run.</summary>
    public string? Stage { get; init; }

    /// <summary>monitor.quiet: alerts at or above this severity (0 = Sev0, the most severe) break the quiet.</summary>
    public int? Severity { get; init; }

    /// <summary>monitor.quiet: how long the window lasts.</summary>
    public TimeSpan? Window { get; init; }

    public QuietFrom? From { get; init; }

    /// <summary>monitor.quiet: the Azure resource ids this item watches (a release from the template follows them); null: the release's watched resources.</summary>
    public IReadOnlyList<string>? Resources { get; init; }

    [JsonIgnore]
    public bool IsGitHub => SignalTypes.IsGitHub(Type);

    /// <summary>A template value with the release's version filled in.</summary>
    public static string Expand(string pattern, string version) => pattern.Replace("{version}", version, StringComparison.Ordinal);

    /// <summary>
    /// The refs a run of this release may be on: the declared ref, else the usual names of a release's branch or tag.
    /// </summary>
    public IReadOnlyList<string> RefsFor(string version) =>
        Ref is { } declared
            ? [Expand(declared, version)]
            : [$"v{version}", version, $"release/{version}", $"release/v{version}", $"releases/{version}", $"releases/v{version}"];

    public bool MatchesRef(string? gitRef, string version)
    {
        if (gitRef is null)
        {
            return false;
        }

        var name = gitRef.StartsWith("refs/heads/", StringComparison.Ordinal) ? gitRef["refs/heads/".Length..]
            : gitRef.StartsWith("refs/tags/", StringComparison.Ordinal) ? gitRef["refs/tags/".Length..]
            : gitRef;
        // A declared ref may be written in full (refs/heads/hotfix/1.5.0) or short (hotfix/1.5.0).
        return RefsFor(version).Any(r => string.Equals(r, name, StringComparison.OrdinalIgnoreCase) || string.Equals(r, gitRef, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What a person reads on the card: where the tick will come from.</summary>
    public string Describe(string version) => Type switch
    {
        SignalTypes.GitHubPulls when Label is { } label => $"GitHub: every pull request labelled {Expand(label, version)} merged, checks green",
        SignalTypes.GitHubPulls => $"GitHub: every pull request of milestone {Expand(Milestone ?? "{version}", version)} merged, checks green",
        SignalTypes.GitHubChecks => $"GitHub: check \"{Name}\" succeeds",
        SignalTypes.GitHubWorkflow => $"GitHub: workflow \"{Name}\" succeeds",
        SignalTypes.GitHubRelease => $"GitHub: a release for tag {Expand(Tag ?? "v{version}", version)}",
        SignalTypes.GitHubDeployment => $"GitHub: deployment to {Environment} succeeds",
        SignalTypes.AzureDevOpsPulls when Label is { } label => $"Azure DevOps: every pull request labelled {Expand(label, version)} merged",
        SignalTypes.AzureDevOpsPulls => $"Azure DevOps: every pull request into {Expand(Ref ?? "release/{version}", version)} merged",
        SignalTypes.AzureDevOpsPipeline => Stage is { } stage ? $"Azure DevOps: stage {stage} of {Name} succeeds" : $"Azure DevOps: pipeline {Name} succeeds",
        SignalTypes.MonitorQuiet => $"Azure Monitor: no Sev{Severity ?? 1} or worse alert for {DurationText.Of(Window ?? TimeSpan.FromHours(24))} after the deployment",
        _ => Type,
    };
}
