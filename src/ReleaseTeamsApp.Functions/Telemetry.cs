using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace ReleaseTeamsApp.Functions;

internal static class Telemetry
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string ClientIdSetting = "AZURE_CLIENT_ID";

    /// <summary>
    /// OpenTelemetry traces, metrics and logs to Application Insights when its connection string is configured. The
    /// resource has local authentication off, so the exporter authenticates with the app's managed identity.
    /// </summary>
    public static FunctionsApplicationBuilder AddReleaseTelemetry(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddReleaseTelemetry(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddReleaseTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otel = services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        if (Exporter(configuration) is { } exporter)
        {
            otel.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = exporter.ConnectionString;
                options.Credential = exporter.Credential;
            });
        }

        return services;
    }

    /// <summary>
    /// Where telemetry goes and the credential it is sent with: the user-assigned identity whose client id the
    /// Application Insights authentication string names (ClientId=…;Authorization=AAD), else AZURE_CLIENT_ID, else the
    /// system-assigned identity. Null when no connection string is set (local runs log to the console only).
    /// </summary>
    public static TelemetryExporter? Exporter(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }

        var clientId = ClientIdOf(configuration[AuthenticationStringSetting]) ?? NullIfBlank(configuration[ClientIdSetting]);
        var identity = clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId);
        return new TelemetryExporter(connectionString, clientId, new ManagedIdentityCredential(identity));
    }

    private static string? ClientIdOf(string? authenticationString) =>
        (authenticationString ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2 && pair[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            .Select(pair => NullIfBlank(pair[1]))
            .FirstOrDefault();

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The Azure Monitor exporter's target and credential; <see cref="ClientId"/> is null for the system-assigned identity.</summary>
internal sealed record TelemetryExporter(string ConnectionString, string? ClientId, TokenCredential Credential);
