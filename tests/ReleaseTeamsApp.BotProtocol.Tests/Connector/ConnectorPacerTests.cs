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
            await pacer.WaitTurnAsync(Tenant, $"{Channel};messageid={i}", SendPriority.Interactive, CancellationToken.None);
        }

        var eighth = pacer.WaitTurnAsync(Tenant, Channel + ";messageid=99", SendPriority.Interactive, CancellationToken.None);
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
            await pacer.WaitTurnAsync(Tenant, Channel, SendPriority.Interactive, CancellationToken.None);
        }

        _time.Advance(TimeSpan.FromMilliseconds(1001));
        await pacer.WaitTurnAsync(Tenant, Channel, SendPriority.Interactive, CancellationToken.None);
        var ninth = pacer.WaitTurnAsync(Tenant, Channel, SendPriority.Interactive, CancellationToken.None);
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
            await pacer.WaitTurnAsync(Tenant, $"19:channel{i}@thread.tacv2", SendPriority.Bulk, CancellationToken.None);
        }

        var nextDigest = pacer.WaitTurnAsync(Tenant, "19:channel8@thread.tacv2", SendPriority.Bulk, CancellationToken.None);
        var cardUpdate = pacer.WaitTurnAsync(Tenant, "19:channel9@thread.tacv2", SendPriority.Interactive, CancellationToken.None);

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
            await pacer.WaitTurnAsync("tenant-b", $"19:b{i}@thread.tacv2", SendPriority.Interactive, CancellationToken.None);
        }

        var other = pacer.WaitTurnAsync(Tenant, Channel, SendPriority.Interactive, CancellationToken.None);

        Assert.True(other.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Throttled_TeamsAnswered429_HoldsTheThreadForRetryAfter()
    {
        var pacer = Pacer(new ConnectorPacingOptions());
        pacer.Throttled(Channel + ";messageid=5", TimeSpan.FromSeconds(3));

        var next = pacer.WaitTurnAsync(Tenant, Channel, SendPriority.Interactive, CancellationToken.None);
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

    private ConnectorPacer Pacer(ConnectorPacingOptions options) => new(Options.Create(options), _time);
}
