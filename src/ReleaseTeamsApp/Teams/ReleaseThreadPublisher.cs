using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Teams;

/// <summary>Posts a release into its channel thread and keeps the posted cards in step with stored state.</summary>
public sealed class ReleaseThreadPublisher(IConnectorClient connector, IThreadCards cards, ILogger<ReleaseThreadPublisher> logger)
{
    /// <summary>
    /// Starts the release thread: the summary card as a new conversation in the channel (or a message in a chat),
    /// then one card per scheduled phase in that thread. Returns where everything was posted.
    /// </summary>
    public async Task<ReleaseThread> StartThreadAsync(ReleaseState state, string serviceUrl, string postTo, bool isChannel, CancellationToken cancellationToken)
    {
        var release = state.Release;
        var root = Activity.CreateCardMessage(cards.Summary(state), $"Release {release.Version}");
        string threadId;
        string rootId;
        if (isChannel)
        {
            var created = await connector.CreateConversationAsync(
                serviceUrl, ConversationParameters.ForChannelThread(release.Channel.ChannelId, release.Channel.TenantId, root), cancellationToken);
            rootId = created.ActivityId ?? "";
            threadId = created.Id ?? $"{release.Channel.ChannelId};messageid={rootId}";
        }
        else
        {
            var sent = await connector.SendToConversationAsync(serviceUrl, postTo, root, cancellationToken);
            rootId = sent.Id ?? "";
            threadId = postTo;
        }

        var thread = new ReleaseThread(serviceUrl, threadId, rootId, new Dictionary<string, string>());
        foreach (var phase in cards.ScheduledPhases(state))
        {
            thread = thread.WithPhaseCard(phase.Id, await PostAsync(thread, cards.Phase(state, phase.Id), phase.Title, cancellationToken));
        }

        return thread;
    }

    public async Task<string> PostAsync(ReleaseThread thread, JsonObject card, string summary, CancellationToken cancellationToken)
    {
        var sent = await connector.SendToConversationAsync(thread.ServiceUrl, thread.ConversationId, Activity.CreateCardMessage(card, summary), cancellationToken);
        return sent.Id ?? "";
    }

    /// <summary>Answers the person where they spoke (the channel thread or chat of the incoming activity).</summary>
    public Task ReplyAsync(TurnContext turn, Activity reply, CancellationToken cancellationToken) =>
        ReplyAsync(turn.ServiceUrl, turn.ConversationId, turn.Activity.Id, reply, cancellationToken);

    public Task ReplyTextAsync(TurnContext turn, string markdown, CancellationToken cancellationToken) =>
        ReplyAsync(turn, Activity.CreateMessage(markdown, TextFormatTypes.Markdown), cancellationToken);

    /// <summary>Posts in the release's own thread when it has one (the conversation stays with the release), else answers where asked.</summary>
    public Task PostInThreadAsync(TurnContext? turn, Release release, Activity message, CancellationToken cancellationToken) =>
        release.Thread is { } thread
            ? ReplyAsync(thread.ServiceUrl, thread.ConversationId, null, message, cancellationToken)
            : turn is not null
                ? ReplyAsync(turn, message, cancellationToken)
                : throw new InvalidOperationException($"Release {release.Version} has no thread to post in.");

    public Task ReplyAsync(string serviceUrl, string conversationId, string? replyToId, Activity activity, CancellationToken cancellationToken)
    {
        // Every message goes out here: what people typed and the bot quotes back is shown as typed, never as markup.
        TeamsText.NeutralizeMessage(activity);
        return replyToId is null
            ? connector.SendToConversationAsync(serviceUrl, conversationId, activity, cancellationToken)
            : connector.ReplyToActivityAsync(serviceUrl, conversationId, replyToId, activity, cancellationToken);
    }

    /// <summary>Removes cards posted for a release that could not be stored, so nothing is left half-created.</summary>
    public async Task RetractAsync(ReleaseThread thread, CancellationToken cancellationToken)
    {
        foreach (var id in thread.PhaseCardActivityIds.Values.Append(thread.RootActivityId).OfType<string>())
        {
            try
            {
                await connector.DeleteActivityAsync(thread.ServiceUrl, thread.ConversationId, id, cancellationToken);
            }
            catch (ConnectorException ex)
            {
                TeamsLog.RetractFailed(logger, ex, id);
            }
        }
    }

    /// <summary>
    /// Rebuilds the shared phase card and the summary card from stored state and replaces the posted messages, so every
    /// viewer sees the change. Best effort: a throttled or failed update is logged; the per-user refresh still shows stored state.
    /// </summary>
    /// <param name="bestEffort">False on the card-updates queue: a throttled or failed update throws so the message is retried.</param>
    public async Task RefreshAsync(ReleaseState state, IEnumerable<string> phaseIds, CancellationToken cancellationToken, bool bestEffort = true)
    {
        if (state.Release.Thread is not { } thread)
        {
            return;
        }

        var updates = new List<Task>();
        if (thread.RootActivityId is { Length: > 0 } rootId)
        {
            updates.Add(UpdateCardAsync(thread, rootId, cards.Summary(state), cancellationToken, bestEffort));
        }

        foreach (var phaseId in phaseIds.Distinct())
        {
            if (thread.PhaseCardActivityIds.TryGetValue(phaseId, out var activityId))
            {
                updates.Add(UpdateCardAsync(thread, activityId, cards.Phase(state, phaseId), cancellationToken, bestEffort));
            }
        }

        await Task.WhenAll(updates);
    }

    /// <summary>Replaces a posted card for everyone; best effort (a failed update is logged, stored state stays the truth).</summary>
    public async Task UpdateCardAsync(ReleaseThread thread, string activityId, JsonObject card, CancellationToken cancellationToken, bool bestEffort = true)
    {
        var activity = Activity.CreateCardMessage(card);
        activity.Id = activityId;
        try
        {
            await connector.UpdateActivityAsync(thread.ServiceUrl, thread.ConversationId, activityId, activity, cancellationToken);
        }
        catch (ConnectorException ex) when (bestEffort || !IsTransient(ex))
        {
            // A deleted or refused card stays as it is; retrying cannot change that.
            TeamsLog.UpdateFailed(logger, ex, activityId, (int)ex.StatusCode, ex.ErrorCode);
        }
        catch (HttpRequestException ex) when (bestEffort)
        {
            TeamsLog.UpdateFailed(logger, ex, activityId, 0, null);
        }
    }

    private static bool IsTransient(ConnectorException ex) => (int)ex.StatusCode is 429 or 412 or >= 500;
}
