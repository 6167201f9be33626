namespace ReleaseTeamsApp.LocalHost;

/// <summary>
/// The local host's clock: real time plus an offset that can be set or advanced, so a release can be played
/// from T-14 to T+7 in minutes. Everything in the app reads time through TimeProvider, so it all follows.
/// </summary>
public sealed class SimulatedClock : TimeProvider
{
    private readonly TimeProvider _real;
    private long _offsetTicks;

    public SimulatedClock(TimeProvider? real = null, DateTimeOffset? start = null)
    {
        _real = real ?? System;
        if (start is { } at)
        {
            Set(at);
        }
    }

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => _real.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => _real.LocalTimeZone;

    public DateTimeOffset Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), "The clock only moves forward.");
        }

        Interlocked.Add(ref _offsetTicks, by.Ticks);
        return GetUtcNow();
    }

    public DateTimeOffset Set(DateTimeOffset now)
    {
        Interlocked.Exchange(ref _offsetTicks, (now - _real.GetUtcNow()).Ticks);
        return GetUtcNow();
    }
}
