using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// Posts claimed messages in their release threads, marks them sent (through the sweep's <see cref="SentMarks"/>), and
/// releases the claim of a send that failed, so the next sweep retries it.
/// </summary>
internal sealed class DigestDelivery(IReleaseStore store, SentMarkers markers, ReleaseThreadPublisher publisher, SentMarks marks, ILogger logger)
{
    /// <summary>A send mostly waits for its tenant's budget, so more are in flight than reads.</summary>
    public const int Parallelism = 32;

    public async Task SendAllAsync(SendQueue messages, SweepContext sweep, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(messages.TakeAllAsync(cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (message, ct) =>
        {
            try
            {
                await SendAsync(message, sweep, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                ReminderLog.ReleaseFailed(logger, ex, message.Digest.First.Release.Id);
                Interlocked.Increment(ref sweep.Totals.Broken);
            }
        });

    private async Task SendAsync(OutgoingDigest message, SweepContext sweep, CancellationToken cancellationToken)
    {
        var sent = false;
        try
        {
            if (message.Claim is { } claim)
            {
                // Digests are bulk traffic: they wait for their tenant's budget and leave room for clicks and replies.
                using var traffic = ConnectorTraffic.Begin(message.Digest.First.Release.Channel.TenantId, SendPriority.Bulk);
                sent = await PostAsync(message.Digest, claim, sweep, cancellationToken);
                if (sent)
                {
                    await marks.AddAsync([claim], null);
                    Interlocked.Increment(ref sweep.Totals.Sent);
                }
            }
        }
        finally
        {
            // A person who had today's message already hears about these items tomorrow: that counts as done for today.
            for (var i = 0; i < message.Releases.Count; i++)
            {
                var release = message.Releases[i];
                lock (release)
                {
                    if (sent)
                    {
                        release.Sent.Add(message.Digest.Parts[i]);
                    }
                    else if (!message.Settled)
                    {
                        release.Incomplete = true;
                    }
                }

                if (Interlocked.Decrement(ref release.Pending) == 0)
                {
                    await release.FinishAsync(marks);
                }
            }
        }
    }

    private async Task<bool> PostAsync(ChannelDigest digest, SentMarkerRow claim, SweepContext sweep, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PostInThreadAsync(null, digest.First.Release, DigestMessage.For(digest, sweep.Now), cancellationToken);
            foreach (var part in digest.Parts)
            {
                await DigestSignalNotes.MarkToldAsync(store, part, DigestSignalNotes.For(part), sweep.Now, cancellationToken);
            }

            return true;
        }
        catch (Exception ex) when (ex is ConnectorException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            ReminderLog.SendFailed(logger, ex, digest.First.Release.Version, digest.Recipient.Id, claim.Attempts);
            await markers.ReleaseAsync(claim, ex.Message, CancellationToken.None);
            Interlocked.Increment(ref sweep.Totals.Failed);
            return false;
        }
    }
}
