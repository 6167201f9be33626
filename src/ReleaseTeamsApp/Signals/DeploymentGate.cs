using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.ReleaseDay;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Signals;

/// <summary>A deployment GitHub (a custom deployment protection rule) or Azure DevOps (an Invoke REST API check) holds until the go/no-go decides it.</summary>
/// <param name="Check">Azure DevOps only: where and with which token the decision goes.</param>
internal sealed record GateRequest(string ReleaseId, string Source, string Repository, string Environment, string? Ref, string CallbackUrl, long? InstallationId, DateTimeOffset RequestedAt, string RowKey, PipelineCheck? Check = null, string? Pipeline = null, long? Run = null);

/// <summary>
/// The go/no-go as the deployment gate. On GitHub's deployment_protection_rule, or an Azure DevOps Invoke REST API check
/// in callback mode, the go/no-go card is posted (or the posted one is pointed at) in the release thread and the request
/// is kept; once the release has a GO, GitHub's callback gets state approved and the check TaskCompleted succeeded; a
/// NO-GO or a sign-off veto rejects or fails them. Open requests are checked each time the inbox is drained.
/// </summary>
public sealed class DeploymentGate(
    SignalTables tables,
    IReleaseStore store,
    GitHubApi github,
    AzureDevOpsApi azureDevOps,
    ReleaseThreadPublisher publisher,
    IOptions<GitHubOptions> options,
    TimeProvider time,
    ILogger<DeploymentGate> logger) : ISignalFollowUp
{
    private const string Partition = "gates";

    public async Task<bool> HandleAsync(ReleaseState state, SignalEvent signal, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(signal);
        var check = signal is { Kind: SignalKinds.PipelineCheck, Check: { } c } ? c : null;
        if (check is null && (signal.Kind != SignalKinds.DeploymentProtectionRule || signal.CallbackUrl is null))
        {
            return false;
        }

        var release = state.Release;
        var deploymentSignal = check is not null
            ? new ItemSignal { Type = SignalTypes.GitHubDeployment }
            : state.Items.Select(i => i.Signal).FirstOrDefault(s => s is { Type: SignalTypes.GitHubDeployment } && string.Equals(s.Environment, signal.Environment, StringComparison.OrdinalIgnoreCase))
                ?? new ItemSignal { Type = SignalTypes.GitHubDeployment, Environment = signal.Environment };
        if (!deploymentSignal.MatchesRef(signal.Ref, release.Version))
        {
            return false;
        }

        var identity = check is not null ? $"{check.PlanId}|{check.TaskInstanceId}" : signal.CallbackUrl!;
        var rowKey = TableKeys.Escape($"{release.Id}|{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identity)))[..16]}");
        var row = new TableEntity(Partition, rowKey)
        {
            ["ReleaseId"] = release.Id,
            ["Source"] = signal.Source,
            ["Repository"] = signal.Target,
            ["Environment"] = signal.Environment ?? "",
            ["Ref"] = signal.Ref ?? "",
            ["CallbackUrl"] = signal.CallbackUrl ?? check!.PlanUrl,
            ["InstallationId"] = signal.InstallationId ?? 0,
            ["Check"] = check is null ? "" : StoredJson.Write(check),
            ["Pipeline"] = signal.Name ?? "",
            ["Run"] = signal.Number ?? 0,
            ["RequestedAt"] = time.GetUtcNow(),
            ["Answered"] = false,
        };
        try
        {
            await tables.Inbox.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return true;
        }

        var fresh = state;
        if (release.GoNoGo?.CardActivityId is not { Length: > 0 } && release.Thread is { } thread)
        {
            var id = await publisher.PostAsync(thread, ReleaseDayCards.GoNoGo(state), $"Go/no-go {release.Version}", cancellationToken);
            await store.ChangeAsync(release.Id, s => ReleaseChange.Record(s.Release with { GoNoGo = (s.Release.GoNoGo ?? GoNoGo.Empty) with { CardActivityId = id } }), null, cancellationToken);
            fresh = await store.GetAsync(release.Id, cancellationToken) ?? state;
        }

        if (release.Thread is not null && Verdict(fresh.Release) is null)
        {
            var text = check is not null
                ? string.Create(CultureInfo.InvariantCulture, $"⏸️ Azure DevOps holds run {signal.Number} of **{signal.Name}** ({signal.Ref}, {signal.Target}) at its check until the go/no-go of {release.Version} is decided: GO passes the check, NO-GO or a veto fails it. Decide on the go/no-go card.")
                : $"⏸️ GitHub holds the deployment of **{signal.Ref}** to **{signal.Environment}** ({signal.Target}) until the go/no-go of {release.Version} is decided: GO approves it, NO-GO or a veto rejects it. Decide on the go/no-go card.";
            await publisher.PostInThreadAsync(null, release, Activity.CreateMessage(text, TextFormatTypes.Markdown), cancellationToken);
        }

        SignalsLog.GateRequested(logger, release.Id, signal.Source, signal.Environment ?? signal.Name ?? "");
        await AnswerOpenAsync(cancellationToken);
        return true;
    }

    public Task AppliedAsync(ReleaseState state, SignalOutcome outcome, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Answers every open request whose release has decided; returns how many were answered.</summary>
    public async Task<int> AnswerOpenAsync(CancellationToken cancellationToken)
    {
        var answered = 0;
        await foreach (var row in tables.Inbox.QueryAsync<TableEntity>($"PartitionKey eq '{Partition}' and Answered eq false", cancellationToken: cancellationToken))
        {
            var request = new GateRequest(row.GetString("ReleaseId")!, row.GetString("Source") is { Length: > 0 } source ? source : GitHubDeliveries.Source, row.GetString("Repository")!, row.GetString("Environment")!, row.GetString("Ref"), row.GetString("CallbackUrl")!,
                row.GetInt64("InstallationId") is { } id and > 0 ? id : null, row.GetDateTimeOffset("RequestedAt") ?? default, row.RowKey,
                row.GetString("Check") is { Length: > 0 } check ? StoredJson.Read<PipelineCheck>(check) : null, row.GetString("Pipeline"), row.GetInt64("Run"));
            if (await store.GetAsync(request.ReleaseId, cancellationToken) is not { } state || Verdict(state.Release) is not { } verdict)
            {
                continue;
            }

            try
            {
                // Claim the answer first, so two drains never post two reviews.
                await tables.Inbox.UpdateEntityAsync(new TableEntity(Partition, row.RowKey) { ["Answered"] = true, ["AnsweredAt"] = time.GetUtcNow(), ["State"] = verdict.Approved ? "approved" : "rejected" }, row.ETag, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                continue;
            }

            try
            {
                if (request.Check is { } pipelineCheck)
                {
                    await azureDevOps.CompleteCheckAsync(pipelineCheck, verdict.Approved, cancellationToken);
                }
                else
                {
                    await github.ReviewDeploymentAsync(request.Repository, request.InstallationId, request.CallbackUrl, request.Environment, verdict.Approved, Comment(state.Release, verdict.Text));
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or Octokit.ApiException or InvalidOperationException)
            {
                // GitHub or Azure DevOps did not take the answer: reopen the request so the next drain answers again.
                SignalsLog.GateAnswerFailed(logger, ex, request.ReleaseId, request.Source, request.Environment);
                await tables.Inbox.UpsertEntityAsync(new TableEntity(Partition, row.RowKey) { ["Answered"] = false }, TableUpdateMode.Merge, cancellationToken);
                continue;
            }

            SignalsLog.GateAnswered(logger, request.ReleaseId, request.Source, request.Environment, verdict.Approved);
            answered++;
            if (state.Release.Thread is not null)
            {
                var text = request.Check is not null
                    ? string.Create(CultureInfo.InvariantCulture, $"{(verdict.Approved ? "▶️ Passed" : "⛔ Failed")} the Azure DevOps check of run {request.Run} of **{request.Pipeline}** ({request.Ref}): {verdict.Text}.")
                    : $"{(verdict.Approved ? "▶️ Approved" : "⛔ Rejected")} the deployment of **{request.Ref}** to **{request.Environment}** in GitHub: {verdict.Text}.";
                await publisher.PostInThreadAsync(null, state.Release, Activity.CreateMessage(text, TextFormatTypes.Markdown), cancellationToken);
            }
        }

        return answered;
    }

    /// <summary>GO approves; NO-GO or any sign-off's no-go vote (a veto) rejects; otherwise the gate keeps waiting.</summary>
    public static (bool Approved, string Text)? Verdict(Release release)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (release.GoNoGo?.SignOffs.FirstOrDefault(s => s.Vote == GoNoGoVote.NoGo) is { } veto && release.GoNoGo.Decision is not { Outcome: GoNoGoVote.Go, OverrideReason: not null })
        {
            return (false, $"{veto.Voter.Name} ({veto.Role.DisplayName()}) vetoed with no-go{(veto.Comment is { } c ? $": {c}" : "")}");
        }

        return release.GoNoGo?.Decision switch
        {
            { Outcome: GoNoGoVote.Go } go => (true, string.Create(CultureInfo.InvariantCulture, $"GO recorded by {go.DecidedBy.Name} at readiness {go.Score}/100{(go.OverrideReason is { } r ? $", overriding: {r}" : "")}")),
            { Outcome: GoNoGoVote.NoGo } noGo => (false, $"NO-GO recorded by {noGo.DecidedBy.Name}{(noGo.Comment is { } c ? $": {c}" : "")}"),
            _ => null,
        };
    }

    private string Comment(Release release, string verdict)
    {
        var link = options.Value.DecisionLinkBaseUrl is { } baseUrl ? $" Decision: {new Uri(baseUrl, $"tab/index.html?releaseId={Uri.EscapeDataString(release.Id)}")}" : "";
        return $"Go/no-go of release {release.Version} in Teams: {verdict}.{link}";
    }
}
