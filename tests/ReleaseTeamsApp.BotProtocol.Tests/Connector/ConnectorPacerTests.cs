using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ReleaseTeamsApp.BotProtocol.Tests.Connector;

public sealed class ConnectorPacerTests
{
    private const string Tenant = "tenant-a";
    private const string Channel = "19:abc@thread.tacv2";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 9, 16, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task WaitTurnAsync_EighthSendToOneChannelWithinASecond_WaitsUntilTeamsWouldAcceptIt()
    {
        var pacer = Pacer(new ConnectorPacingOptions { Headroom = 1 });
        for (var i = 0; i < 7; i++)
        {
            await SendAsync(pacer, Tenant, $"{Channel};messageid={i}", SendPriority.Interactive, CancellationToken.None);
        }

        var eighth = SendAsync(pacer, Tenant, Channel + ";messageid=99", SendPriority.Interactive, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(900));
        var waitingAt900Ms = !eighth.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await eighth;

        Assert.True(waitingAt900Ms, "the 8th send in one second went out before Teams' 7-per-second window had room");
        Assert.Equal(1, pacer.Statistics.Waits);
    }

    [Fact]
    public async Task WaitTurnAsync_NinthSendWithinTwoSeconds_WaitsForTheTwoSecondWindow()
    {
        var pacer = Pacer(new ConnectorPacingOptions { Headroom = 1 });
        for (var i = 0; i < 7; i++)
        {
            await SendAsync(pacer, Tenant, Channel, SendPriority.Interactive, CancellationToken.None);
        }

        _time.Advance(TimeSpan.FromMilliseconds(1001));
        await SendAsync(pacer, Tenant, Channel, SendPriority.Interactive, CancellationToken.None);
        var ninth = SendAsync(pacer, Tenant, Channel, SendPriority.Interactive, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(900));
        var waitingBeforeTwoSeconds = !ninth.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await ninth;

        Assert.True(waitingBeforeTwoSeconds, "the 9th send within two seconds went out although Teams allows 8 per 2 s");
    }

    [Fact]
    public async Task WaitTurnAsync_SweepHasUsedItsShareOfTheTenantBudget_InteractiveSendGoesFirst()
    {
        var pacer = Pacer(new ConnectorPacingOptions { TenantRequestsPerSecond = 10, Headroom = 1, InteractiveShare = 0.2 });
        for (var i = 0; i < 8; i++)
        {
            await SendAsync(pacer, Tenant, $"19:channel{i}@thread.tacv2", SendPriority.Bulk, CancellationToken.None);
        }

        var nextDigest = SendAsync(pacer, Tenant, "19:channel8@thread.tacv2", SendPriority.Bulk, CancellationToken.None);
        var cardUpdate = SendAsync(pacer, Tenant, "19:channel9@thread.tacv2", SendPriority.Interactive, CancellationToken.None);

        Assert.True(cardUpdate.IsCompletedSuccessfully, "a card update waited behind the sweep");
        Assert.False(nextDigest.IsCompleted, "the sweep used more than its share of the tenant budget");
        _time.Advance(TimeSpan.FromMilliseconds(1100));
        await nextDigest;
    }

    [Fact]
    public async Task WaitTurnAsync_OtherTenantsBudgetExhausted_DoesNotWait()
    {
        var pacer = Pacer(new ConnectorPacingOptions { TenantRequestsPerSecond = 5, Headroom = 1 });
        for (var i = 0; i < 5; i++)
        {
            await SendAsync(pacer, "tenant-b", $"19:b{i}@thread.tacv2", SendPriority.Interactive, CancellationToken.None);
        }

        var other = SendAsync(pacer, Tenant, Channel, SendPriority.Interactive, CancellationToken.None);

        Assert.True(other.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Throttled_TeamsAnswered429_HoldsTheThreadForRetryAfter()
    {
        var pacer = Pacer(new ConnectorPacingOptions());
        pacer.Throttled(Channel + ";messageid=5", TimeSpan.FromSeconds(3));

        var next = SendAsync(pacer, Tenant, Channel, SendPriority.Interactive, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2.9));
        var heldAt29 = !next.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await next;

        Assert.True(heldAt29);
    }

    [Fact]
    public void Limits_DefaultsWithTwoInstances_EachInstanceUsesItsShareUnderTeamsLimit()
    {
        var single = Pacer(new ConnectorPacingOptions());
        var shared = Pacer(new ConnectorPacingOptions { Instances = 2 });

        Assert.Equal(45, single.TenantLimit);
        Assert.Equal(40, single.BulkLimit);
        Assert.Equal(22, shared.TenantLimit);
        Assert.True(2 * shared.TenantLimit <= 50);
    }

    [Fact]
    public async Task WaitTurnAsync_EarlierSendsAnsweredLate_NextWaitsAWindowFromTheirAnswer()
    {
        var pacer = Pacer(new ConnectorPacingOptions { Headroom = 1 });
        var slow = new List<ConnectorTurn>();
        for (var i = 0; i < 7; i++)
        {
            slow.Add(await pacer.WaitTurnAsync(Tenant, Channel, SendPriority.Interactive, CancellationToken.None));
        }

        // Teams may have counted them as late as their answer, 300 ms after they were let go.
        _time.Advance(TimeSpan.FromMilliseconds(300));
        slow.ForEach(t => t.Dispose());
        var eighth = SendAsync(pacer, Tenant, Channel, SendPriority.Interactive, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(900));
        var waitingASecondAfterRelease = !eighth.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await eighth;

        Assert.True(waitingASecondAfterRelease, "the 8th send went out a second after the others were let go, while Teams may still count them");
    }

    [Fact]
    public async Task WaitTurnAsync_EarlierSendsStillInFlight_NextWaitsUntilAWindowAfterTheyAreAnswered()
    {
        var pacer = Pacer(new ConnectorPacingOptions { Headroom = 1 });
        var inFlight = new List<ConnectorTurn>();
        for (var i = 0; i < 7; i++)
        {
            inFlight.Add(await pacer.WaitTurnAsync(Tenant, Channel, SendPriority.Interactive, CancellationToken.None));
        }

        var eighth = SendAsync(pacer, Tenant, Channel, SendPriority.Interactive, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        var waitingWhileInFlight = !eighth.IsCompleted;
        inFlight.ForEach(t => t.Dispose());
        _time.Advance(TimeSpan.FromMilliseconds(900));
        var waitingAfterAnswers = !eighth.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(1200));
        await eighth;

        Assert.True(waitingWhileInFlight, "the 8th send went out while the other seven were still on their way");
        Assert.True(waitingAfterAnswers, "the 8th send went out less than a second after the other seven were answered");
    }

    [Fact]
    public async Task WaitTurnAsync_PacingDisabled_NeverWaits()
    {
        var pacer = Pacer(new ConnectorPacingOptions { Enabled = false });
        for (var i = 0; i < 20; i++)
        {
            await SendAsync(pacer, Tenant, Channel, SendPriority.Bulk, CancellationToken.None);
        }

        var next = SendAsync(pacer, Tenant, Channel, SendPriority.Bulk, CancellationToken.None);

        Assert.True(next.IsCompletedSuccessfully);
    }

    /// <summary>A request answered the moment it is let go.</summary>
    private static async Task SendAsync(ConnectorPacer pacer, string tenantId, string conversationId, SendPriority priority, CancellationToken cancellationToken)
    {
        using var turn = await pacer.WaitTurnAsync(tenantId, conversationId, priority, cancellationToken);
    }

    private ConnectorPacer Pacer(ConnectorPacingOptions options) => new(Options.Create(options), _time);
}
