using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Hosting;

namespace ReleaseTeamsApp.Deployment.Tests.Infra;

public sealed partial class DeploymentSettingsTests
{
    // Every setting the app reads in Azure. FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION are
    // absent on purpose: Flex Consumption takes them from functionAppConfig.runtime and rejects them as settings.
    private static readonly string[] AzureSettings =
    [
        "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
        "Storage__TableServiceUri", "Storage__TablePrefix", "AZURE_CLIENT_ID", "MicrosoftAppType", "MicrosoftAppId",
        "MicrosoftAppTenantId", "MicrosoftAppPassword", "Bot__OpenIdMetadataUrl", "Graph__Mode", "Graph__SenderMailbox",
        "Graph__OrganizerMailbox", "Graph__AllowedRecipientDomains", "Reminders__Schedule", "FollowUps__Schedule", "Outbox__Schedule", "Tab__AppIdUri",
        "APPLICATIONINSIGHTS_CONNECTION_STRING", "GitHub__WebhookSecret", "GitHub__ApiBaseUrl", "GitHub__AppId", "GitHub__PrivateKey",
        "GitHub__DecisionLinkBaseUrl", "AzureDevOps__WebhookSecret", "AzureDevOps__ApiBaseUrl", "AzureMonitor__WebhookSecret",
    ];

    [Fact]
    public void FunctionAppBicep_AppSettings_SetEverySettingTheAppReads()
    {
        var bicep = RepositoryFiles.Read("infra/modules/functionapp.bicep");

        var declared = SettingKey().Matches(bicep).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Empty(AzureSettings.Except(declared));
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", declared);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", declared);
    }

    [Fact]
    public void Readme_SettingsTable_DescribesEverySetting()
    {
        var rows = SettingsRows();

        Assert.All(AzureSettings.Concat(["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "Storage__ConnectionString"]),
            setting => Assert.Contains(rows, row => row.StartsWith($"| `{setting}`", StringComparison.Ordinal)));
    }

    [Fact]
    public void LocalSettingsSample_EveryValue_IsInTheReadmeSettingsTable()
    {
        var sample = System.Text.Json.Nodes.JsonNode.Parse(RepositoryFiles.Read("local.settings.sample.json"))!["Values"]!.AsObject();

        var rows = SettingsRows();

        Assert.All(sample.Select(p => p.Key), key => Assert.Contains(rows, row => row.Contains($"`{key}`", StringComparison.Ordinal)));
    }

    [Fact]
    public void Readme_SettingsTable_DescribesEverySettingTheAppsOptionsRead()
    {
        var read = SettingsTheAppReads();

        var rows = SettingsRows();

        Assert.Contains("TeamsApp__AppId", read);
        Assert.Contains("Reminders__DueSoon", read);
        var missing = read.Where(setting => !rows.Any(row => Describes(row, setting))).ToList();
        Assert.True(missing.Count == 0, "settings the app reads that README's configuration table does not name: " + string.Join(", ", missing));
    }

    /// <summary>
    /// Every key the app's options read. The app's services are set up against a configuration that records each key asked
    /// for, and every options type with a registered configuration is created once. A key named after one of the type's
    /// properties was read directly (MicrosoftAppId); any other key is the section the binder looked into (TeamsApp), and
    /// the binder reads the type's properties under it (TeamsApp:AppId) once it has children, so those are listed from the type.
    /// </summary>
    private static SortedSet<string> SettingsTheAppReads()
    {
        var recording = new RecordingSource();
        var configuration = new ConfigurationBuilder().Add(recording).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddReleaseTeamsApp(configuration);
        using var provider = services.BuildServiceProvider();
        var optionsTypes = services
            .Select(d => d.ServiceType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            .Select(t => t.GetGenericArguments()[0])
            .Distinct()
            .ToList();
        var settings = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in optionsTypes)
        {
            recording.Keys.Clear();
            var factory = provider.GetService(typeof(IOptionsFactory<>).MakeGenericType(type))!;
            try
            {
                factory.GetType().GetMethod("Create")!.Invoke(factory, [Options.DefaultName]);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is OptionsValidationException)
            {
                // An empty configuration is not valid for every section; the keys were read before validation.
            }

            foreach (var key in recording.Keys.Distinct())
            {
                var read = BindableProperties(type).Any(p => p.Name == key.Split(':')[^1]) ? [key] : Under(key, type);
                settings.UnionWith(read.Select(k => k.Replace(":", "__", StringComparison.Ordinal)));
            }
        }

        return settings;
    }

    private static IEnumerable<string> Under(string section, Type type) => BindableProperties(type).SelectMany(p =>
        IsValue(p.PropertyType) ? [$"{section}:{p.Name}"] : Under($"{section}:{p.Name}", p.PropertyType));

    private static IEnumerable<PropertyInfo> BindableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0);

    private static bool IsValue(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is var t && (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan)
            || t == typeof(TimeOnly) || t == typeof(DateTimeOffset) || t == typeof(Uri) || typeof(System.Collections.IEnumerable).IsAssignableFrom(t));

    /// <summary>The row names the setting itself, or names its section in its first cell with the rest in the same cell ("`Bot__Connector__MaxAttempts` / `BaseRetryDelay`").</summary>
    private static bool Describes(string row, string setting)
    {
        var name = row.Split('|', StringSplitOptions.RemoveEmptyEntries)[0];
        var cut = setting.LastIndexOf("__", StringComparison.Ordinal);
        return name.Contains($"`{setting}`", StringComparison.Ordinal)
            || (cut > 0 && name.Contains($"`{setting[..(cut + 2)]}", StringComparison.Ordinal) && name.Contains($"`{setting[(cut + 2)..]}`", StringComparison.Ordinal));
    }

    private sealed class RecordingSource : IConfigurationSource
    {
        public ConcurrentQueue<string> Keys { get; } = [];

        public IConfigurationProvider Build(IConfigurationBuilder builder) => new RecordingProvider(Keys);
    }

    private sealed class RecordingProvider(ConcurrentQueue<string> keys) : ConfigurationProvider
    {
        public override bool TryGet(string key, out string? value)
        {
            keys.Enqueue(key);
            return base.TryGet(key, out value);
        }
    }

    private static List<string> SettingsRows() =>
        RepositoryFiles.Read("README.md").Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal)).ToList();

    [Fact]
    public void AzureYaml_ApiService_PointsAtTheFunctionsProject()
    {
        var azureYaml = RepositoryFiles.Read("azure.yaml");

        var project = ProjectLine().Match(azureYaml).Groups[1].Value;

        Assert.True(File.Exists(Path.Combine(RepositoryFiles.Root, project, "ReleaseTeamsApp.Functions.csproj")), $"azure.yaml project '{project}'");
        Assert.Contains("host: function", azureYaml, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?<![\w.'])([A-Za-z][A-Za-z0-9_]*)\s*:\s")]
    private static partial Regex SettingKey();

    [GeneratedRegex(@"^\s+project:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ProjectLine();
}
