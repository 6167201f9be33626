using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Octokit;

namespace ReleaseTeamsApp.Signals;

/// <summary>The state of a release's pull requests as GitHub reports it.</summary>
/// <param name="Failing">Merged pull requests whose head commit has a failed check: number and check name.</param>
public sealed record PullsState(int Total, IReadOnlyList<int> Open, IReadOnlyList<(int Number, string Check)> Failing, IReadOnlyList<int> ChecksRunning, string EvidenceUrl)
{
    public bool AllMergedAndGreen => Total > 0 && Open.Count == 0 && Failing.Count == 0 && ChecksRunning.Count == 0;
}

/// <summary>A completed run (check run or workflow run) or a deployment's latest status.</summary>
public sealed record RunState(string Name, string? Conclusion, string Url, DateTimeOffset At);

/// <summary>
/// GitHub's REST API through Octokit, as the GitHub App: an app JWT (RS256, 10 minutes) buys an installation token per
/// installation, cached until shortly before it expires. The base URL is a setting (GitHub Enterprise Server, tests).
/// </summary>
public sealed class GitHubApi(IOptions<GitHubOptions> options, IHttpClientFactory clients, TimeProvider time)
{
    private static readonly ProductHeaderValue Product = new("ReleaseTeamsApp");
    private readonly ConcurrentDictionary<long, AccessToken> _tokens = new();
    private readonly ConcurrentDictionary<string, long> _installations = new(StringComparer.OrdinalIgnoreCase);

    public bool IsConfigured => options.Value.CanCallApi;

    public Uri BaseUrl => Client(null).Connection.BaseAddress;

    /// <summary>The installation of the app on a repository: the one a delivery named, else looked up with the app JWT.</summary>
    public async Task<long> InstallationOfAsync(string repository, long? known)
    {
        if (known is { } id)
        {
            _installations[repository] = id;
            return id;
        }

        if (_installations.TryGetValue(repository, out var cached))
        {
            return cached;
        }

        var (owner, name) = Split(repository);
        var installation = await Client(new Credentials(AppJwt(), AuthenticationType.Bearer)).GitHubApps.GetRepositoryInstallationForCurrent(owner, name);
        return _installations[repository] = installation.Id;
    }

    public async Task<PullsState> PullsAsync(string repository, long? installationId, string? milestone, string? label)
    {
        var client = await InstallationClientAsync(repository, installationId);
        var (owner, name) = Split(repository);
        var request = new RepositoryIssueRequest { State = ItemStateFilter.All };
        string evidence;
        if (milestone is not null)
        {
            var found = (await client.Issue.Milestone.GetAllForRepository(owner, name, new MilestoneRequest { State = ItemStateFilter.All }))
                .FirstOrDefault(m => string.Equals(m.Title, milestone, StringComparison.OrdinalIgnoreCase));
            if (found is null)
            {
                return new PullsState(0, [], [], [], $"https://github.com/{repository}/milestones");
            }

            request.Milestone = found.Number.ToString(CultureInfo.InvariantCulture);
            evidence = found.HtmlUrl;
        }
        else
        {
            request.Labels.Add(label!);
            evidence = $"https://github.com/{repository}/pulls?q=is%3Apr+label%3A{Uri.EscapeDataString(label!)}";
        }

        var issues = (await client.Issue.GetAllForRepository(owner, name, request)).Where(i => i.PullRequest is not null).ToList();
        var open = new List<int>();
        var failing = new List<(int, string)>();
        var running = new List<int>();
        foreach (var issue in issues)
        {
            var pull = await client.PullRequest.Get(owner, name, issue.Number);
            if (!pull.Merged)
            {
                open.Add(pull.Number);
                continue;
            }

            var checks = await client.Check.Run.GetAllForReference(owner, name, pull.Head.Sha);
            foreach (var check in checks.CheckRuns)
            {
                if (check.Status.StringValue != "completed")
                {
                    running.Add(pull.Number);
                }
                else if (check.Conclusion?.StringValue is not ("success" or "neutral" or "skipped"))
                {
                    failing.Add((pull.Number, check.Name));
                }
            }
        }

        return new PullsState(issues.Count, open, failing, running.Distinct().ToList(), evidence);
    }

    /// <summary>The newest completed check run of that name on any of the refs.</summary>
    public async Task<RunState?> CheckRunAsync(string repository, long? installationId, string checkName, IEnumerable<string> refs)
    {
        var client = await InstallationClientAsync(repository, installationId);
        var (owner, name) = Split(repository);
        foreach (var gitRef in refs)
        {
            try
            {
                var runs = await client.Check.Run.GetAllForReference(owner, name, gitRef, new CheckRunRequest { CheckName = checkName, Filter = CheckRunCompletedAtFilter.Latest });
                if (runs.CheckRuns.Where(r => r.Status.StringValue == "completed").MaxBy(r => r.CompletedAt) is { } run)
                {
                    return new RunState(run.Name, run.Conclusion?.StringValue, run.HtmlUrl, run.CompletedAt ?? run.StartedAt);
                }
            }
            catch (NotFoundException)
            {
                // No such branch or tag: try the next name.
            }
        }

        return null;
    }

    /// <summary>The newest completed run of the named workflow on any of the branches.</summary>
    public async Task<RunState?> WorkflowRunAsync(string repository, long? installationId, string workflowName, IEnumerable<string> branches)
    {
        var client = await InstallationClientAsync(repository, installationId);
        var (owner, name) = Split(repository);
        foreach (var branch in branches)
        {
            var runs = await client.Actions.Workflows.Runs.List(owner, name, new WorkflowRunsRequest { Branch = branch });
            if (runs.WorkflowRuns.Where(r => r.Status.StringValue == "completed" && string.Equals(r.Name, workflowName, StringComparison.OrdinalIgnoreCase)).MaxBy(r => r.UpdatedAt) is { } run)
            {
                return new RunState(run.Name, run.Conclusion?.StringValue, run.HtmlUrl, run.UpdatedAt);
            }
        }

        return null;
    }

    /// <summary>A release (draft or published) for the tag, or null.</summary>
    public async Task<RunState?> ReleaseAsync(string repository, long? installationId, string tag)
    {
        var client = await InstallationClientAsync(repository, installationId);
        var (owner, name) = Split(repository);
        var release = (await client.Repository.Release.GetAll(owner, name, new ApiOptions { PageSize = 30, PageCount = 1 }))
            .FirstOrDefault(r => string.Equals(r.TagName, tag, StringComparison.OrdinalIgnoreCase));
        return release is null ? null : new RunState(release.Name ?? tag, release.Draft ? "draft" : "published", release.HtmlUrl, release.PublishedAt ?? release.CreatedAt);
    }

    /// <summary>The latest status of the newest deployment to the environment on one of the refs.</summary>
    public async Task<RunState?> DeploymentAsync(string repository, long? installationId, string environment, IReadOnlyCollection<string> refs)
    {
        var client = await InstallationClientAsync(repository, installationId);
        var (owner, name) = Split(repository);
        var deployments = await client.Repository.Deployment.GetAll(owner, name, new ApiOptions { PageSize = 30, PageCount = 1 });
        var deployment = deployments
            .Where(d => string.Equals(d.Environment, environment, StringComparison.OrdinalIgnoreCase) && refs.Contains(d.Ref, StringComparer.OrdinalIgnoreCase))
            .MaxBy(d => d.CreatedAt);
        if (deployment is null)
        {
            return null;
        }

        var status = (await client.Repository.Deployment.Status.GetAll(owner, name, deployment.Id)).MaxBy(s => s.CreatedAt);
        return status is null ? null : new RunState(environment, status.State.StringValue, status.LogUrl ?? status.TargetUrl ?? $"https://github.com/{repository}/deployments", status.CreatedAt);
    }

    /// <summary>
    /// Answers a custom deployment protection rule (POST {callback} with environment_name, state approved|rejected,
    /// comment). The callback must be on the configured API, so an installation token never goes anywhere else.
    /// </summary>
    public async Task ReviewDeploymentAsync(string repository, long? installationId, string callbackUrl, string environment, bool approved, string comment)
    {
        var client = await InstallationClientAsync(repository, installationId);
        var callback = new Uri(callbackUrl, UriKind.Absolute);
        if (!client.Connection.BaseAddress.IsBaseOf(callback))
        {
            throw new InvalidOperationException($"The deployment callback {callback.GetLeftPart(UriPartial.Authority)} is not on the configured GitHub API ({client.Connection.BaseAddress.GetLeftPart(UriPartial.Authority)}).");
        }

        var body = new Dictionary<string, string>
        {
            ["environment_name"] = environment,
            ["state"] = approved ? "approved" : "rejected",
            ["comment"] = comment.Length > 1000 ? comment[..1000] : comment,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", client.Credentials.Password);
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.UserAgent.ParseAdd("ReleaseTeamsApp");
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        using var http = clients.CreateClient(nameof(GitHubApi));
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GitHub answered {(int)response.StatusCode} to the deployment review.", null, response.StatusCode);
        }
    }

    private async Task<GitHubClient> InstallationClientAsync(string repository, long? installationId)
    {
        if (!IsConfigured)
        {
            throw new InvalidOperationException("GitHub__AppId and GitHub__PrivateKey are not set, so the app cannot read GitHub.");
        }

        var installation = await InstallationOfAsync(repository, installationId);
        if (!_tokens.TryGetValue(installation, out var token) || token.ExpiresAt - TimeSpan.FromMinutes(5) < time.GetUtcNow())
        {
            token = await Client(new Credentials(AppJwt(), AuthenticationType.Bearer)).GitHubApps.CreateInstallationToken(installation);
            _tokens[installation] = token;
        }

        return Client(new Credentials(token.Token));
    }

    private GitHubClient Client(Credentials? credentials)
    {
        var client = new GitHubClient(Product, options.Value.ApiBaseUrl);
        if (credentials is not null)
        {
            client.Credentials = credentials;
        }

        return client;
    }

    /// <summary>The app's JWT: issued a minute in the past against clock drift, valid nine minutes more (GitHub allows ten).</summary>
    internal string AppJwt()
    {
        var settings = options.Value;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var header = Base64Url("""{"alg":"RS256","typ":"JWT"}"""u8);
        var payload = Base64Url(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new AppJwtClaims(now - 60, now + 540, settings.AppId))));
        using var rsa = RSA.Create();
        rsa.ImportFromPem(settings.PrivateKey!.Replace("\\n", "\n", StringComparison.Ordinal));
        var signature = rsa.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (string Owner, string Name) Split(string repository) => repository.Split('/', 2) is [var owner, var name] ? (owner, name) : throw new ArgumentException($"'{repository}' is not owner/repo.", nameof(repository));

    /// <summary>The claims of the app's JWT, named as GitHub reads them.</summary>
    private sealed record AppJwtClaims(
        [property: JsonPropertyName("iat")] long IssuedAt,
        [property: JsonPropertyName("exp")] long Expires,
        [property: JsonPropertyName("iss")] string? Issuer);
}
