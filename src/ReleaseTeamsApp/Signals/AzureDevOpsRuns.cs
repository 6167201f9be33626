using System.Globalization;
using System.Text.Json;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Signals;

/// <summary>A completed run of a pipeline as the Build REST API reports it, or one of its stages.</summary>
public sealed record PipelineRunState(long Id, string Pipeline, string? Result, string? SourceBranch, string Url);

/// <summary>A release's pull requests as the Git REST API reports them: the ones still active, whether one was merged (when asked), and the page listing them.</summary>
public sealed record ReleasePulls(IReadOnlyList<long> Active, bool AnyCompleted, string? ListUrl);

/// <summary>
/// The reads of Azure DevOps for signals (REST API 7.1, with AzureDevOps__Token): the latest completed run of a named
/// pipeline on one of the release's refs, a stage of that run from its timeline, and the release's pull requests.
/// </summary>
public sealed class AzureDevOpsRuns(AzureDevOpsApi api)
{
    /// <summary>How many of the pipeline's latest completed runs are looked through for one on the release's refs.</summary>
    public const int Depth = 50;

    /// <summary>How many active pull requests are read: into the branch, or (for a label) of the whole project.</summary>
    public const int MaxActivePulls = 1000;

    /// <summary>How many of the latest completed pull requests a label is looked for in.</summary>
    public const int MaxCompletedPulls = 500;

    public bool IsConfigured => api.CanReadRuns;

    /// <summary>The latest completed run of <paramref name="pipeline"/> whose branch the signal accepts; null when there is none (or no such pipeline).</summary>
    public async Task<PipelineRunState?> LatestRunAsync(string project, ItemSignal spec, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var path = AzureDevOpsApi.ProjectPath(project);
        using var definitions = await api.GetWithTokenAsync($"{path}/_apis/build/definitions?name={Uri.EscapeDataString(spec.Name!)}&api-version=7.1", cancellationToken);
        var definition = Values(definitions).FirstOrDefault(d => string.Equals(Text(d, "name"), spec.Name, StringComparison.OrdinalIgnoreCase));
        if (definition.ValueKind != JsonValueKind.Object || !definition.TryGetProperty("id", out var idElement) || !idElement.TryGetInt64(out var definitionId))
        {
            return null;
        }

        using var builds = await api.GetWithTokenAsync(string.Create(CultureInfo.InvariantCulture, $"{path}/_apis/build/builds?definitions={definitionId}&statusFilter=completed&queryOrder=finishTimeDescending&$top={Depth}&api-version=7.1"), cancellationToken);
        foreach (var build in Values(builds))
        {
            if (spec.MatchesRef(Text(build, "sourceBranch"), version) && build.TryGetProperty("id", out var buildId) && buildId.TryGetInt64(out var id))
            {
                var web = build.TryGetProperty("_links", out var links) && links.TryGetProperty("web", out var link) ? Text(link, "href") : null;
                return new PipelineRunState(id, spec.Name!, Text(build, "result")?.ToLowerInvariant(), Text(build, "sourceBranch"),
                    web ?? string.Create(CultureInfo.InvariantCulture, $"{api.BaseUrl}{path}/_build/results?buildId={id}"));
            }
        }

        return null;
    }

    /// <summary>The result of the run's stage named <paramref name="stage"/> (its name or identifier) once completed; null while it runs or when the run has no such stage.</summary>
    public async Task<string?> StageResultAsync(string project, long runId, string stage, CancellationToken cancellationToken)
    {
        using var timeline = await api.GetWithTokenAsync(string.Create(CultureInfo.InvariantCulture, $"{AzureDevOpsApi.ProjectPath(project)}/_apis/build/builds/{runId}/timeline?api-version=7.1"), cancellationToken);
        if (timeline is null || !timeline.RootElement.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var record = records.EnumerateArray().FirstOrDefault(r => Text(r, "type") == "Stage"
            && (string.Equals(Text(r, "identifier"), stage, StringComparison.OrdinalIgnoreCase) || string.Equals(Text(r, "name"), stage, StringComparison.OrdinalIgnoreCase)));
        return record.ValueKind == JsonValueKind.Object && string.Equals(Text(record, "state"), "completed", StringComparison.OrdinalIgnoreCase)
            ? Text(record, "result")?.ToLowerInvariant()
            : null;
    }

    /// <summary>
    /// The pull requests of an ado.pulls item: into its branch (the API filters), or carrying its label (filtered here, as
    /// the API cannot). <paramref name="readCompleted"/> also asks whether one of them was merged, which the notification
    /// of a completed pull request already says.
    /// </summary>
    public async Task<ReleasePulls> ReleasePullsAsync(string project, ItemSignal spec, string version, bool readCompleted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (targetRef, label) = PullsTarget(spec, version);
        bool Ours(AzurePull pull) => label is null || pull.Labels.Contains(label, StringComparer.OrdinalIgnoreCase);
        var active = (await api.PullRequestsAsync(project, "active", targetRef, MaxActivePulls, cancellationToken)).Where(Ours).ToList();
        var completed = readCompleted
            ? (await api.PullRequestsAsync(project, "completed", targetRef, label is null ? 1 : MaxCompletedPulls, cancellationToken)).Where(Ours).ToList()
            : [];
        var repository = completed.Concat(active).Select(p => p.RepositoryUrl).FirstOrDefault(u => u is not null);
        return new ReleasePulls(active.Select(p => p.Id).ToList(), completed.Count > 0, repository is null ? null : repository + "/pullrequests?_a=completed");
    }

    /// <summary>ado.pulls: the target branch as a full ref (refs/heads/…) and no label, or no branch and the label, with the version filled in.</summary>
    public static (string? TargetRef, string? Label) PullsTarget(ItemSignal spec, string version)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Label is { } label)
        {
            return (null, ItemSignal.Expand(label, version));
        }

        var branch = ItemSignal.Expand(spec.Ref ?? "release/{version}", version);
        return (branch.StartsWith("refs/", StringComparison.Ordinal) ? branch : "refs/heads/" + branch, null);
    }

    private static List<JsonElement> Values(JsonDocument? document) =>
        document is not null && document.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().ToList()
            : [];

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
