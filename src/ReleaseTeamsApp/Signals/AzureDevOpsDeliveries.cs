using System.Globalization;
using System.Text.Json;

namespace ReleaseTeamsApp.Signals;

/// <summary>
/// Reads the Azure DevOps service hook events the evaluator acts on (the web hook consumer's JSON, as Microsoft's
/// "Service hooks events" reference documents it) into <see cref="SignalEvent"/>s: run state changed, run stage state
/// changed, pull request merge commit created, and a pull request updated to completed.
/// </summary>
internal static class AzureDevOpsDeliveries
{
    public const string Source = "azure-devops";
    public const string RunStateChanged = "ms.vss-pipelines.run-state-changed-event";
    public const string StageStateChanged = "ms.vss-pipelines.stage-state-changed-event";
    public const string PullRequestMerged = "git.pullrequest.merged";
    public const string PullRequestUpdated = "git.pullrequest.updated";

    /// <summary>What a delivery is: its id (the dedupe key), its event type and, when it settles something, the signal.</summary>
    public sealed record Delivery(string Id, string EventType, SignalEvent? Signal);

    /// <summary>
    /// The delivery, or null when the body is not a service hook notification (no id or event type).
    /// <paramref name="project"/> (organization/project, from the hook URL) names the project when given; otherwise it is
    /// read from the run's or repository's links.
    /// </summary>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    public static Delivery? Read(ReadOnlySpan<byte> body, string? project)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || Text(root, "eventType") is not { Length: > 0 and <= 200 } eventType)
        {
            return null;
        }

        var id = Text(root, "id") is { Length: > 0 and <= 100 } eventId && eventId != Guid.Empty.ToString()
            ? eventId
            : Text(root, "subscriptionId") is { Length: > 0 and <= 100 } subscription && root.TryGetProperty("notificationId", out var notification) && notification.ValueKind == JsonValueKind.Number
                ? string.Create(CultureInfo.InvariantCulture, $"{subscription}|{notification.GetInt64()}")
                : null;
        if (id is null || !root.TryGetProperty("resource", out var resource) || resource.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var signal = eventType switch
        {
            RunStateChanged => Run(resource, project),
            StageStateChanged => Stage(resource, project),
            PullRequestMerged => Pull(resource, project),
            PullRequestUpdated when string.Equals(Text(resource, "status"), "completed", StringComparison.OrdinalIgnoreCase) => Pull(resource, project),
            _ => null,
        };
        return new Delivery(id, eventType, signal);
    }

    private static SignalEvent? Run(JsonElement resource, string? project)
    {
        if (Object(resource, "run") is not { } run)
        {
            return null;
        }

        var web = Href(run, "web");
        var target = project ?? ProjectOf(web);
        var state = Text(run, "state");
        if (target is null || !string.Equals(state, "completed", StringComparison.OrdinalIgnoreCase))
        {
            // A run that started or is canceling settles nothing yet.
            return null;
        }

        return new SignalEvent(Source, SignalKinds.PipelineRun, target)
        {
            Name = PipelineName(resource, run),
            PipelineId = PipelineId(resource, run),
            Ref = RefName(run),
            Conclusion = Text(run, "result")?.ToLowerInvariant(),
            Number = Number(run, "id"),
            Url = web,
            At = Date(run, "finishedDate"),
        };
    }

    private static SignalEvent? Stage(JsonElement resource, string? project)
    {
        if (Object(resource, "stage") is not { } stage)
        {
            return null;
        }

        var run = Object(resource, "run");
        var web = Href(stage, "web") ?? (run is { } r ? Href(r, "web") : null);
        var target = project ?? ProjectOf(web);
        if (target is null || !string.Equals(Text(stage, "state"), "completed", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return new SignalEvent(Source, SignalKinds.PipelineStage, target)
        {
            Name = PipelineName(resource, run),
            PipelineId = PipelineId(resource, run),
            Ref = run is { } withResources ? RefName(withResources) : null,
            Stage = Text(stage, "name"),
            Environment = Text(stage, "displayName"),
            Conclusion = Text(stage, "result")?.ToLowerInvariant(),
            Number = run is { } runElement ? Number(runElement, "id") : null,
            Url = web,
            At = run is { } finished ? Date(finished, "finishedDate") : null,
        };
    }

    /// <summary>
    /// A merge commit of a pull request (or its completion). Azure DevOps creates merge commits while a pull request is
    /// still active, so the event's status travels as <see cref="SignalEvent.Conclusion"/>: only "completed" means merged.
    /// </summary>
    private static SignalEvent? Pull(JsonElement resource, string? project)
    {
        var repository = Object(resource, "repository");
        var projectName = repository is { } repo && Object(repo, "project") is { } p ? Text(p, "name") : null;
        var organization = repository is { } withUrl ? OrganizationOf(Text(withUrl, "url") ?? Text(withUrl, "remoteUrl")) : null;
        var target = project ?? (organization is not null && projectName is not null ? $"{organization}/{projectName}" : null);
        if (target is null || !string.Equals(Text(resource, "mergeStatus"), "succeeded", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var number = Number(resource, "pullRequestId");
        var labels = resource.TryGetProperty("labels", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? tags.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.Object ? Text(t, "name") : null).OfType<string>().ToList()
            : [];
        var web = repository is { } named ? RepositoryWebUrl(named) ?? (Text(named, "name") is { } name ? $"https://dev.azure.com/{target}/_git/{Uri.EscapeDataString(name)}" : null) : null;
        return new SignalEvent(Source, SignalKinds.PullRequestMerged, target)
        {
            Number = number,
            Name = Text(resource, "title"),
            Ref = Text(resource, "targetRefName"),
            Conclusion = Text(resource, "status")?.ToLowerInvariant(),
            Sha = Object(resource, "lastMergeCommit") is { } merge ? Text(merge, "commitId") : null,
            Labels = labels,
            Url = web is not null && number is not null ? string.Create(CultureInfo.InvariantCulture, $"{web}/pullrequest/{number}") : null,
            At = Date(resource, "closedDate"),
        };
    }

    /// <summary>
    /// The repository's page: its webUrl, else its remoteUrl (the clone URL of an Azure Repos repository is its page) without
    /// the user name a clone URL may carry; null when neither is an http(s) address.
    /// </summary>
    public static string? RepositoryWebUrl(JsonElement repository)
    {
        var link = Text(repository, "webUrl") ?? Text(repository, "remoteUrl");
        if (link is null || !Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return null;
        }

        return new UriBuilder(uri) { UserName = "", Password = "", Query = "", Fragment = "" }.Uri.AbsoluteUri.TrimEnd('/');
    }

    /// <summary>The repository's list of completed pull requests, from a pull request's page ({repository}/pullrequest/{id}); null for another link.</summary>
    public static string? CompletedPullsOf(string? pullUrl)
    {
        var at = pullUrl?.LastIndexOf("/pullrequest/", StringComparison.Ordinal) ?? -1;
        return at > 0 ? pullUrl![..at] + "/pullrequests?_a=completed" : null;
    }

    /// <summary>organization/project from a link such as https://dev.azure.com/{org}/{project}/_build/results?buildId=11 (or {org}.visualstudio.com/{project}/…).</summary>
    public static string? ProjectOf(string? link)
    {
        if (link is null || !Uri.TryCreate(link, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
        if (uri.Host.EndsWith(".visualstudio.com", StringComparison.OrdinalIgnoreCase))
        {
            segments.Insert(0, uri.Host[..uri.Host.IndexOf('.', StringComparison.Ordinal)]);
        }

        return segments.Count >= 3 && !segments[1].StartsWith('_') ? $"{segments[0]}/{segments[1]}" : null;
    }

    private static string? OrganizationOf(string? link) =>
        link is not null && Uri.TryCreate(link, UriKind.Absolute, out var uri)
            ? uri.Host.EndsWith(".visualstudio.com", StringComparison.OrdinalIgnoreCase)
                ? uri.Host[..uri.Host.IndexOf('.', StringComparison.Ordinal)]
                : uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
            : null;

    private static string? PipelineName(JsonElement resource, JsonElement? run) =>
        (Object(resource, "pipeline") is { } pipeline ? Text(pipeline, "name") : null)
        ?? (run is { } r && Object(r, "pipeline") is { } runPipeline ? Text(runPipeline, "name") : null);

    private static long? PipelineId(JsonElement resource, JsonElement? run) =>
        (Object(resource, "pipeline") is { } pipeline ? Number(pipeline, "id") : null)
        ?? (run is { } r && Object(r, "pipeline") is { } runPipeline ? Number(runPipeline, "id") : null);

    /// <summary>The run's branch or tag (resources.repositories.self.refName) when the notification carries it; the documented samples do not.</summary>
    public static string? RefName(JsonElement run) =>
        Object(run, "resources") is { } resources && Object(resources, "repositories") is { } repositories && Object(repositories, "self") is { } self
            ? Text(self, "refName")
            : null;

    private static JsonElement? Object(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    internal static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    private static DateTimeOffset? Date(JsonElement element, string name) =>
        Text(element, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string? Href(JsonElement element, string link) =>
        Object(element, "_links") is { } links && Object(links, link) is { } target && Text(target, "href") is { } href
            && Uri.TryCreate(href, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? href : null;
}
