using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Hosting;
using Octokit.Webhooks.Events;

namespace ReleaseTeamsApp.Signals;

/// <summary>
/// Prepares the JSON reading of every GitHub event the receiver reads, when the host starts. Octokit.Webhooks' event
/// types are large object graphs read by a converter per action; prepared lazily, the first delivery of each event type
/// after a start spent 130–250 ms on it inside the acknowledgement GitHub is waiting for (the signals benchmark's
/// slowest acks; with this, its slowest ack is under 50 ms on a quiet machine).
/// </summary>
internal sealed class GitHubEventReadiness : IHostedService
{
    /// <summary>Each event type <see cref="GitHubDeliveries"/> reads, with an action it acts on.</summary>
    private static readonly (Type Event, string Action)[] ActedOn =
    [
        (typeof(PullRequestEvent), "closed"), (typeof(CheckRunEvent), "completed"), (typeof(WorkflowRunEvent), "completed"),
        (typeof(ReleaseEvent), "published"), (typeof(ReleaseEvent), "created"), (typeof(DeploymentStatusEvent), "created"),
        (typeof(DeploymentProtectionRuleEvent), "requested"),
    ];

    /// <summary>Each event type <see cref="GitHubDeliveries"/> reads.</summary>
    internal static IReadOnlyList<Type> Events { get; } = ActedOn.Select(a => a.Event).Distinct().ToArray();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Prepare();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Builds the serializer's metadata for each event type, the type of each of its actions (Octokit reads each action into its own type), and every type they reach.</summary>
    /// <returns>The types prepared.</returns>
    internal static IReadOnlySet<Type> Prepare()
    {
        var options = JsonSerializerOptions.Default;
        var octokitTypes = typeof(PullRequestEvent).Assembly.GetTypes();
        var pending = new Stack<Type>(Events.Concat(octokitTypes.Where(t => !t.IsAbstract && Events.Any(t.IsSubclassOf))));

        var seen = new HashSet<Type>();
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            JsonTypeInfo info;
            try
            {
                info = options.GetTypeInfo(type);
            }
            catch (NotSupportedException)
            {
                continue;
            }

            foreach (var property in info.Properties)
            {
                pending.Push(property.PropertyType);
            }

            if (info.ElementType is { } element)
            {
                pending.Push(element);
            }

            if (info.KeyType is { } key)
            {
                pending.Push(key);
            }
        }

        foreach (var (type, action) in ActedOn)
        {
            try
            {
                JsonSerializer.Deserialize(new JsonObject { ["action"] = action }.ToJsonString(), type, options);
            }
            catch (JsonException)
            {
                // Reading runs Octokit's converter for the action once; a bare event lacks fields it requires, so it stops there.
            }
        }

        return seen;
    }
}
