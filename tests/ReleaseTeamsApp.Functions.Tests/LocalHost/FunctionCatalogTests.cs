using System.Text.Json;
using Microsoft.Extensions.Configuration;
using ReleaseTeamsApp.LocalHost;
using ReleaseTeamsApp.Functions.Tests.Testing;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.LocalHost;

/// <summary>What runs locally must be what deploys: the catalog matches the functions.metadata the Functions SDK generates.</summary>
public sealed class FunctionCatalogTests
{
    // A different schedule per setting, so a timer resolving the wrong setting is noticed.
    private static readonly IConfiguration Configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(LocalHostServer.TimerScheduleSettings().Select((setting, i) => KeyValuePair.Create(setting, (string?)$"0 {i + 1} * * * *")))
        .Build();

    [Fact]
    public void Discover_FunctionsAssembly_FindsExactlyTheFunctionsInFunctionsMetadata()
    {
        var metadata = DeployedFunctions();

        var catalog = FunctionCatalog.Discover(typeof(Health).Assembly, Configuration);

        Assert.Equal(
            metadata.Where(f => f.Trigger == "httpTrigger").Select(f => f.Name).Order(),
            catalog.Http.Select(f => f.Name).Order());
        Assert.Equal(
            metadata.Where(f => f.Trigger == "timerTrigger").Select(f => f.Name).Order(),
            catalog.Timers.Select(f => f.Name).Order());
        Assert.Equal(
            metadata.Where(f => f.Trigger == "queueTrigger").Select(f => f.Name).Order(),
            catalog.Queues.Select(f => f.Name).Order());
        Assert.Equal(metadata.Count, catalog.Http.Count + catalog.Timers.Count + catalog.Queues.Count);
    }

    [Fact]
    public void Discover_QueueFunctions_ListenOnTheDeployedQueues()
    {
        var metadata = DeployedFunctions().Where(f => f.Trigger == "queueTrigger").ToList();

        var catalog = FunctionCatalog.Discover(typeof(Health).Assembly, Configuration);

        Assert.Contains(metadata, f => f.Name == "CardUpdates");
        foreach (var deployed in metadata)
        {
            var local = Assert.Single(catalog.Queues, f => f.Name == deployed.Name);
            Assert.Equal(deployed.Binding.GetProperty("queueName").GetString(), local.QueueName);
        }
    }

    [Fact]
    public void Discover_HttpFunctions_HaveTheDeployedRoutesAndMethods()
    {
        var metadata = DeployedFunctions().Where(f => f.Trigger == "httpTrigger").ToList();

        var catalog = FunctionCatalog.Discover(typeof(Health).Assembly, Configuration);

        Assert.NotEmpty(metadata);
        foreach (var deployed in metadata)
        {
            var local = Assert.Single(catalog.Http, f => f.Name == deployed.Name);
            Assert.Equal(deployed.Binding.TryGetProperty("route", out var route) ? route.GetString() : deployed.Name, local.Route);
            var methods = deployed.Binding.TryGetProperty("methods", out var m) ? m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant()).ToList() : ["GET", "POST"];
            Assert.Equal(methods.Order(), local.Methods.Order());
        }
    }

    [Fact]
    public void Discover_TimerFunctions_ResolveTheDeployedScheduleSetting()
    {
        var metadata = DeployedFunctions().Where(f => f.Trigger == "timerTrigger").ToList();

        var catalog = FunctionCatalog.Discover(typeof(Health).Assembly, Configuration);

        Assert.Contains(metadata, f => f.Name == "Reminders");
        foreach (var deployed in metadata)
        {
            var local = Assert.Single(catalog.Timers, f => f.Name == deployed.Name);
            var schedule = deployed.Binding.GetProperty("schedule").GetString()!;
            var expected = schedule.StartsWith('%') ? Configuration[schedule.Trim('%')] : schedule;
            Assert.Equal(expected, local.Schedule);
        }
    }

    [Fact]
    public void Discover_ScheduleSettingMissing_FailsNamingTheSetting()
    {
        var empty = new ConfigurationBuilder().Build();

        var discover = () => FunctionCatalog.Discover(typeof(Health).Assembly, empty);

        var error = Assert.Throws<InvalidOperationException>(discover);
        Assert.Contains(LocalHostServer.TimerScheduleSettings(), setting => error.Message.Contains($"'{setting}'", StringComparison.Ordinal));
        Assert.Contains("local.settings.json", error.Message, StringComparison.Ordinal);
    }

    private sealed record DeployedFunction(string Name, string Trigger, JsonElement Binding);

    /// <summary>The functions.metadata the Functions SDK writes next to the Functions dll: what the Azure host will index.</summary>
    private static List<DeployedFunction> DeployedFunctions()
    {
        var path = Path.Combine(Path.GetDirectoryName(typeof(Health).Assembly.Location)!, "functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata not found next to the Functions assembly ({path}); build src/ReleaseTeamsApp.Functions.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(function =>
        {
            var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            return new DeployedFunction(function.GetProperty("name").GetString()!, trigger.GetProperty("type").GetString()!, trigger.Clone());
        }).ToList();
    }
}
