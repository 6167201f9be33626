using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace ReleaseTeamsApp.Functions;

internal static class Telemetry
{
    /// <summary>OpenTelemetry traces, metrics and logs to Application Insights when its connection string is configured.</summary>
    public static FunctionsApplicationBuilder AddReleaseTelemetry(this FunctionsApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        if (!string.IsNullOrWhiteSpace(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            otel.UseAzureMonitorExporter();
        }

        return builder;
    }
}
