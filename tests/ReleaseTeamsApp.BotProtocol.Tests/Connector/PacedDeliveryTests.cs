using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;

namespace ReleaseTeamsApp.BotProtocol.Tests.Connector;

/// <summary>
/// The connector client and its pacer against a Kestrel peer that notes when each request arrives, as Teams counts
/// it: requests that reach it late (a busy machine, a connection being opened) must not let the next ones crowd a
/// thread's window.
/// </summary>
public sealed class PacedDeliveryTests : IAsyncLifetime
{
    private const string Thread = "19:paced@thread.tacv2";

    private readonly ConcurrentQueue<DateTimeOffset> _arrivals = new();
    private FakeHttpServer _teams = null!;

    public async Task InitializeAsync() =>
        _teams = await FakeHttpServer.StartAsync((context, _) =>
        {
            _arrivals.Enqueue(TimeProvider.System.GetUtcNow());
            return FakeHttpServer.WriteJsonAsync(context, 201, """{"id":"1"}""");
        });

    public async Task DisposeAsync() => await _teams.DisposeAsync();

    [Fact]
    public async Task SendToConversationAsync_FirstSendsArriveLate_NoThreadWindowEverHoldsMoreThanTeamsAllows()
    {
        // No headroom: the pacer uses Teams' windows exactly, so one request too many in a window shows.
        using var delivery = new DelayedDelivery(first: 7, TimeSpan.FromMilliseconds(400));
        using var http = new HttpClient(delivery);
        var client = new ConnectorClient(http, new NoToken(), Options.Create(new ConnectorClientOptions { AllowedServiceHosts = "127.0.0.1" }), TimeProvider.System,
            NullLogger<ConnectorClient>.Instance, new ConnectorPacer(Options.Create(new ConnectorPacingOptions { Headroom = 1, ThreadWindows = "7/1,8/2" }), TimeProvider.System));

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            client.SendToConversationAsync(_teams.BaseAddress.ToString(), $"{Thread};messageid={i}", Activity.CreateMessage($"digest {i}"), CancellationToken.None)));

        var arrivals = _arrivals.Order().ToList();
        Assert.Equal(10, arrivals.Count);
        Assert.True(MostWithin(arrivals, TimeSpan.FromSeconds(1)) <= 7, $"Teams saw {MostWithin(arrivals, TimeSpan.FromSeconds(1))} requests to one thread within 1 s (it allows 7): {Describe(arrivals)}");
        Assert.True(MostWithin(arrivals, TimeSpan.FromSeconds(2)) <= 8, $"Teams saw {MostWithin(arrivals, TimeSpan.FromSeconds(2))} requests to one thread within 2 s (it allows 8): {Describe(arrivals)}");
    }

    /// <summary>The most arrivals in any window ending at an arrival, counted as Teams does (later than a window before it).</summary>
    private static int MostWithin(List<DateTimeOffset> arrivals, TimeSpan window) =>
        arrivals.Max(end => arrivals.Count(a => a <= end && a > end - window));

    private static string Describe(List<DateTimeOffset> arrivals) =>
        string.Join(", ", arrivals.Select(a => $"+{(a - arrivals[0]).TotalMilliseconds:F0} ms"));

    /// <summary>Holds the first requests back on their way to the peer, after the pacer let them go.</summary>
    private sealed class DelayedDelivery(int first, TimeSpan delay) : DelegatingHandler(new HttpClientHandler())
    {
        private int _sent;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _sent) <= first)
            {
                await Task.Delay(delay, cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class NoToken : IBotTokenProvider
    {
        public Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    }
}
