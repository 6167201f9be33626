using Azure.Data.Tables;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// The sent-marks of one sweep, written together: per day partition in transactions of up to 100 rows, as soon as a
/// transaction is full and at least every <see cref="FlushInterval"/>, so a digest that went out is marked within about a
/// second (the window in which a hard kill can repeat it after the lease) while marks of many releases share a request.
/// </summary>
internal sealed class SentMarks : IAsyncDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly SentMarkers _markers;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, (List<SentMarkerRow> Claims, List<TableEntity> Ledgers)> _pending = new(StringComparer.Ordinal);
    private readonly Task _timer;

    public SentMarks(SentMarkers markers, TimeProvider time)
    {
        _markers = markers;
        _timer = FlushRegularlyAsync(time);
    }

    /// <summary>One release's sends are done: its sent claims and its ledger row after them.</summary>
    public async Task AddAsync(IReadOnlyList<SentMarkerRow> claims, TableEntity? ledger)
    {
        bool full;
        lock (_gate)
        {
            foreach (var claim in claims)
            {
                Pending(claim.PartitionKey).Claims.Add(claim);
            }

            if (ledger is not null)
            {
                Pending(ledger.PartitionKey).Ledgers.Add(ledger);
            }

            full = _pending.Values.Any(p => p.Claims.Count + p.Ledgers.Count >= SentMarkers.MaxBatch);
        }

        if (full)
        {
            await FlushAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAny(_timer);
        await FlushAsync();
        _stop.Dispose();
        _writing.Dispose();
    }

    private (List<SentMarkerRow> Claims, List<TableEntity> Ledgers) Pending(string partition)
    {
        if (!_pending.TryGetValue(partition, out var pending))
        {
            _pending[partition] = pending = ([], []);
        }

        return pending;
    }

    private async Task FlushAsync()
    {
        await _writing.WaitAsync();
        try
        {
            List<(List<SentMarkerRow> Claims, List<TableEntity> Ledgers)> batches;
            lock (_gate)
            {
                batches = _pending.Values.Where(p => p.Claims.Count + p.Ledgers.Count > 0).ToList();
                _pending.Clear();
            }

            // Marks are written whatever happens to the sweep: a digest that went out must not be sent again.
            for (var i = 0; i < batches.Count; i++)
            {
                try
                {
                    await _markers.MarkAllSentAsync(batches[i].Claims, batches[i].Ledgers, CancellationToken.None);
                }
                catch
                {
                    // Not written: kept for the next flush (the regular one, or the last one, which reports the failure).
                    lock (_gate)
                    {
                        foreach (var (claims, ledgers) in batches.Skip(i))
                        {
                            Pending(claims.Concat<Azure.Data.Tables.ITableEntity>(ledgers).First().PartitionKey).Claims.AddRange(claims);
                            Pending(claims.Concat<Azure.Data.Tables.ITableEntity>(ledgers).First().PartitionKey).Ledgers.AddRange(ledgers);
                        }
                    }

                    throw;
                }
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task FlushRegularlyAsync(TimeProvider time)
    {
        try
        {
            while (true)
            {
                await Task.Delay(FlushInterval, time, _stop.Token);
                try
                {
                    await FlushAsync();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Kept for the next flush; the last one (in DisposeAsync) lets the sweep see a lasting failure.
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The sweep is done: DisposeAsync writes what is left.
        }
    }
}
