using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;
using static ReleaseTeamsApp.Tests.Testing.JuneRelease;

namespace ReleaseTeamsApp.Tests.Reminders;

/// <summary>A channel's reminders go out as soon as its own releases are read: a slow read in another channel does not hold them back.</summary>
[Collection(AzuriteTests.Name)]
public sealed class SweepStreamingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RunAsync_OneChannelsReleaseReadsSlowly_TheOtherChannelsMessagesGoOutMeanwhile()
    {
        var slowRead = new HeldRead();
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(slowRead, HttpPipelinePosition.PerCall);
        var harness = new ReminderHarness(azurite, ThursdayNoon, clientOptions);
        var slow = await harness.CreateAsync(new ReleaseBuilder().WithVersion("9.1.0").On(2026, 6, 16), InChannel("19:slow@thread.tacv2"));
        await harness.CreateAsync(new ReleaseBuilder().WithVersion("9.2.0").On(2026, 6, 16), InChannel("19:quick@thread.tacv2"));
        slowRead.Hold(slow.Release.Id);

        var sweep = harness.Sweep.RunAsync(CancellationToken.None);
        var quickSentWhileHeld = await SixPostedAsync(harness, TimeSpan.FromSeconds(30));
        var postedWhileHeld = harness.Connector.Activities.Select(a => a.Summary!).ToList();
        slowRead.Release();
        var result = await sweep;

        Assert.True(quickSentWhileHeld, "the quick channel's messages waited for the slow channel's read");
        Assert.All(postedWhileHeld, s => Assert.EndsWith("release 9.2.0", s, StringComparison.Ordinal));
        Assert.Equal(12, result.Sent);
        Assert.Equal(6, harness.Connector.Activities.Count(a => a.Summary!.EndsWith("release 9.1.0", StringComparison.Ordinal)));
    }

    private static Func<Release, Release> InChannel(string channelId) => release => release with
    {
        Channel = release.Channel with { ChannelId = channelId },
        Thread = release.Thread! with { ConversationId = channelId + ";messageid=100" },
    };

    private static async Task<bool> SixPostedAsync(ReminderHarness harness, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (harness.Connector.Activities.Count < 6)
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>Holds the reads of one release's partition until released.</summary>
    private sealed class HeldRead : HttpPipelinePolicy
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _releaseId;

        public void Hold(string releaseId) => _releaseId = releaseId;

        public void Release() => _released.TrySetResult();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => ProcessNext(message, pipeline);

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var uri = Uri.UnescapeDataString(message.Request.Uri.ToString());
            if (_releaseId is { } held && message.Request.Method == RequestMethod.Get && uri.Contains($"PartitionKey eq '{held}'", StringComparison.Ordinal))
            {
                await _released.Task.WaitAsync(TimeSpan.FromSeconds(60));
            }

            await ProcessNextAsync(message, pipeline);
        }
    }
}
