using System.Threading.Channels;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// Groups prepared releases' digests into one message per channel, kind and person, and claims them per day partition in
/// transactions of up to 100 (across releases). Channels are claimed as they come from the reads: together while the
/// senders have enough queued (so claims share transactions), at once while the senders would otherwise wait.
/// </summary>
internal sealed class DigestClaims(SentMarkers markers, SentMarks marks)
{
    /// <summary>Claimed messages the senders should have queued: about a second of sending at a tenant's bulk budget.</summary>
    public const int LowWater = 40;

    public async Task ClaimAsReadAsync(ChannelReader<IReadOnlyList<PreparedRelease>> read, SendQueue ready, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var waiting = new List<PreparedRelease>();
        while (await read.WaitToReadAsync(cancellationToken))
        {
            while (read.TryRead(out var channel))
            {
                waiting.AddRange(channel);
            }

            if (waiting.Sum(p => p.Uncovered.Count) >= SentMarkers.MaxBatch || ready.Count < LowWater)
            {
                await ClaimAsync(waiting, ready, now, cancellationToken);
                waiting = [];
            }
        }

        await ClaimAsync(waiting, ready, now, cancellationToken);
    }

    /// <summary>Claims the releases' messages and queues those claimed; releases with nothing to send get their ledger row right away.</summary>
    private async Task ClaimAsync(IReadOnlyList<PreparedRelease> prepared, SendQueue ready, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var parts = prepared.SelectMany(p => p.Uncovered.Select(d => (Release: p, Digest: d))).ToList();
        var messages = ChannelDigest.Group(parts.Select(p => p.Digest).ToList())
            .Select(g => new OutgoingDigest(g.Digest, g.Sources.Select(i => parts[i].Release).ToList(), SentMarkers.Send(g.Digest, now)))
            .ToList();
        foreach (var release in messages.SelectMany(m => m.Releases))
        {
            release.Pending++;
        }

        foreach (var partition in messages.GroupBy(m => m.Send.Partition, StringComparer.Ordinal))
        {
            var batch = partition.ToList();
            var claims = await markers.ClaimAllAsync(batch.Select(m => m.Send).ToList(), cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                (batch[i].Claim, batch[i].Settled) = claims[i];
            }
        }

        foreach (var release in prepared.Where(p => p.Pending == 0))
        {
            await release.FinishAsync(marks);
        }

        foreach (var message in messages)
        {
            ready.Add(message);
        }
    }
}

/// <summary>One message to send: a person's digest of the day in a channel, the releases of its parts (same order) and its claim.</summary>
internal sealed class OutgoingDigest(ChannelDigest digest, IReadOnlyList<PreparedRelease> releases, DigestSend send)
{
    public ChannelDigest Digest { get; } = digest;

    public IReadOnlyList<PreparedRelease> Releases { get; } = releases;

    public DigestSend Send { get; } = send;

    public SentMarkerRow? Claim { get; set; }

    /// <summary>Not claimed because it went out (or was given up on) earlier today.</summary>
    public bool Settled { get; set; }
}
