using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// Claimed messages waiting to be sent, handed out one channel at a time in turn: Teams paces each channel (7 a second,
/// 8 in 2 s), so a sweep's sends spread over every channel queued and none waits behind one channel's window.
/// </summary>
internal sealed class SendQueue
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Tenant, string Channel), Queue<OutgoingDigest>> _channels = [];
    private readonly Queue<(string Tenant, string Channel)> _turns = new();
    private readonly Channel<bool> _added = Channel.CreateUnbounded<bool>();
    private int _count;

    /// <summary>Messages queued and not yet taken by a sender.</summary>
    public int Count => Volatile.Read(ref _count);

    public void Add(OutgoingDigest message)
    {
        var key = (message.Digest.First.Release.Channel.TenantId, message.Digest.First.Release.Channel.ChannelId);
        lock (_gate)
        {
            if (!_channels.TryGetValue(key, out var queue))
            {
                _channels[key] = queue = new Queue<OutgoingDigest>();
                _turns.Enqueue(key);
            }

            queue.Enqueue(message);
            Interlocked.Increment(ref _count);
        }

        _added.Writer.TryWrite(true);
    }

    /// <summary>No more messages come: the senders finish what is queued.</summary>
    public void Complete() => _added.Writer.TryComplete();

    public async IAsyncEnumerable<OutgoingDigest> TakeAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // One token per message added, so each one read finds a message to take.
        await foreach (var _ in _added.Reader.ReadAllAsync(cancellationToken))
        {
            yield return Take();
        }
    }

    private OutgoingDigest Take()
    {
        lock (_gate)
        {
            var key = _turns.Dequeue();
            var queue = _channels[key];
            var message = queue.Dequeue();
            if (queue.Count > 0)
            {
                _turns.Enqueue(key);
            }
            else
            {
                _channels.Remove(key);
            }

            Interlocked.Decrement(ref _count);
            return message;
        }
    }
}
