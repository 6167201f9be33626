using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReleaseTeamsApp.Signals;

namespace ReleaseTeamsApp.Functions.Tests.Signals;

/// <summary>The first delivery of each GitHub event after a start is read with what the host prepared when it started.</summary>
public sealed class GitHubEventReadinessTests
{
    public static TheoryData<string> GitHubSamples() =>
        new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Signals", "Payloads"), "*.json")
            .Select(Path.GetFileName)
            .Where(name => !name!.StartsWith("azure-", StringComparison.Ordinal))
            .Select(name => name!));

    [Theory]
    [MemberData(nameof(GitHubSamples))]
    public void Prepare_DocumentedSample_ItsEventTypeIsReadyBeforeTheFirstDelivery(string sample)
    {
        var eventName = sample[..sample.IndexOf('.', StringComparison.Ordinal)];
        var body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Signals", "Payloads", sample));
        var declared = GitHubEventReadiness.Events
            .Single(type => string.Equals(type.Name, ToTypeName(eventName), StringComparison.Ordinal));

        var prepared = GitHubEventReadiness.Prepare();
        var read = JsonSerializer.Deserialize(body, declared)!;

        Assert.Contains(read.GetType(), prepared);
    }

    [Fact]
    public void AddSignals_HostStarts_PreparesTheGitHubEvents()
    {
        var services = new ServiceCollection().AddSignals();

        Assert.Contains(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(GitHubEventReadiness));
    }

    private static string ToTypeName(string eventName) =>
        string.Concat(eventName.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..])) + "Event";
}
