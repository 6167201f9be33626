using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Teams;

/// <summary>Which posted cards of a release show stale state after a change: the summary always, plus these.</summary>
public sealed record CardUpdateRequest(string ReleaseId, string TenantId, IReadOnlyList<string> PhaseIds, bool GoNoGo = false, bool RollbackDecision = false);

/// <summary>
/// Card updates for everyone after a click, done after Teams got its answer: the request is put on the card-updates
/// queue before the invoke is answered (so a crash after the answer still updates the cards), and the queue-triggered
/// function rebuilds the cards from stored state and replaces them. Transient failures throw, so the queue retries;
/// after the last attempt the message lands in the poison queue, which the outbox report shows.
/// </summary>
public sealed class CardUpdates(ReleaseQueues queues, IReleaseStore store, ReleaseThreadPublisher publisher, IReleaseDayThreadCards releaseDayCards, ILogger<CardUpdates> logger)
{
    public async Task RequestAsync(CardUpdateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            await queues.CardUpdates.SendMessageAsync(JsonSerializer.Serialize(request, StoredJson.Options), cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            // The queue is unreachable: update now rather than not at all (the answer waits, nothing is lost).
            TeamsLog.QueueUnavailable(logger, ex, request.ReleaseId);
            await ApplyAsync(request, bestEffort: true, cancellationToken);
        }
    }

    /// <summary>The queue message's half: one message is one request.</summary>
    public Task ApplyAsync(string message, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.Deserialize<CardUpdateRequest>(message, StoredJson.Options)
            ?? throw new JsonException("A card-updates message was empty.");
        return ApplyAsync(request, bestEffort: false, cancellationToken);
    }

    private async Task ApplyAsync(CardUpdateRequest request, bool bestEffort, CancellationToken cancellationToken)
    {
        using var traffic = ConnectorTraffic.Begin(request.TenantId, SendPriority.Interactive);
        // Stored state now, not the state of the click: a later click's update never shows older data.
        if (await store.GetAsync(request.ReleaseId, cancellationToken) is not { } state || state.Release.Thread is not { } thread)
        {
            return;
        }

        await publisher.RefreshAsync(state, request.PhaseIds, cancellationToken, bestEffort);
        var release = state.Release;
        if (request.GoNoGo && release.GoNoGo?.CardActivityId is { Length: > 0 } goNoGoCard)
        {
            await publisher.UpdateCardAsync(thread, goNoGoCard, releaseDayCards.GoNoGo(state), cancellationToken, bestEffort);
        }

        if (request.RollbackDecision && release.Rollbacks is [.., { CardActivityId: { Length: > 0 } decisionCard } rollback])
        {
            await publisher.UpdateCardAsync(thread, decisionCard, releaseDayCards.RollbackDecision(state, rollback), cancellationToken, bestEffort);
        }
    }
}
