using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ReleaseTeamsApp.Functions.Tests.Telemetry;

public sealed class TelemetryTests
{
    private const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://eastus-8.in.applicationinsights.azure.com/";
    private const string ClientId = "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    [Fact]
    public void Exporter_AzureSettings_UsesTheIdentityNamedByTheAuthenticationString()
    {
        var exporter = Functions.Telemetry.Exporter(Settings(new()
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = ConnectionString,
            ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = $"ClientId={ClientId};Authorization=AAD",
            ["AZURE_CLIENT_ID"] = "11111111-1111-1111-1111-111111111111",
        }));

        Assert.NotNull(exporter);
        Assert.Equal(ConnectionString, exporter.ConnectionString);
        Assert.Equal(ClientId, exporter.ClientId);
        Assert.IsType<ManagedIdentityCredential>(exporter.Credential);
    }

    [Fact]
    public void Exporter_NoAuthenticationString_UsesAzureClientId()
    {
        var exporter = Functions.Telemetry.Exporter(Settings(new() { ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = ConnectionString, ["AZURE_CLIENT_ID"] = ClientId }));

        Assert.Equal(ClientId, exporter?.ClientId);
        Assert.IsType<ManagedIdentityCredential>(exporter?.Credential);
    }

    [Fact]
    public void Exporter_NoConnectionString_IsOff()
    {
        Assert.Null(Functions.Telemetry.Exporter(Settings(new() { ["AZURE_CLIENT_ID"] = ClientId })));
    }

    [Fact]
    public void AddReleaseTelemetry_AzureSettings_GivesTheAzureMonitorExporterTheManagedIdentity()
    {
        var configuration = Settings(new()
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = ConnectionString,
            ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = $"ClientId={ClientId};Authorization=AAD",
        });
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddReleaseTelemetry(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);

        Assert.Equal(ConnectionString, options.ConnectionString);
        Assert.IsType<ManagedIdentityCredential>(options.Credential);
    }

    private static IConfiguration Settings(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
