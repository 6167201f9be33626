using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReleaseTeamsApp.Signals;

/// <summary>Settings AzureMonitor__…: the secret the action group's webhook URL carries (?token=…).</summary>
public sealed class AzureMonitorOptions
{
    public const string Section = "AzureMonitor";

    public string? WebhookSecret { get; set; }
}

/// <summary>
/// POST /api/hooks/azure-monitor?token=…: an action group's webhook with the common alert schema
/// (schemaId azureMonitorCommonAlertSchema). The token is compared in constant time; a notification already
/// received (same alert id and condition) is refused; the rest is queued for the evaluator.
/// </summary>
public sealed class AzureMonitorReceiver(IOptions<AzureMonitorOptions> options, SignalInbox inbox, HookTraffic traffic, ILogger<AzureMonitorReceiver> logger)
{
    public const string Source = "azure-monitor";
    public const int MaxBodyBytes = 256 * 1024;

    public async Task<HookReceipt> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var ack = traffic.Begin(Source);
        var secret = options.Value.WebhookSecret;
        var token = request.Query["token"].ToString();
        if (!SharedSecret.Matches(token, secret))
        {
            SignalsLog.AzureMonitorRefused(logger);
            return HookReceipt.Unauthorized("The webhook URL's token does not match AzureMonitor__WebhookSecret: copy the URL with its ?token= into the action group again.");
        }

        var body = await HookBodies.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return HookReceipt.BadRequest("The alert is larger than 256 KB.");
        }

        SignalEvent? signal;
        string? delivery;
        try
        {
            (signal, delivery) = Read(body);
        }
        catch (JsonException)
        {
            signal = null;
            delivery = null;
        }

        if (signal is null || delivery is null)
        {
            return HookReceipt.BadRequest("The body is not an alert in the common alert schema: turn on \"Enable the common alert schema\" for this webhook in the action group.");
        }

        if (!await inbox.AcceptAsync(Source, delivery, signal, cancellationToken))
        {
            return HookReceipt.Unauthorized($"This notification of alert {signal.Name} ({signal.State}) was already received; a repeat changes nothing.");
        }

        SignalsLog.AzureMonitorAccepted(logger, signal.Name ?? "", signal.State ?? "");
        return HookReceipt.Accepted($"Alert {signal.Name} ({signal.State}) received; it is evaluated within seconds.");
    }

    /// <summary>The alert's essentials as a signal, and its delivery key (alert id and monitor condition).</summary>
    public static (SignalEvent? Signal, string? Delivery) Read(ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schemaId", out var schema) || schema.GetString() != "azureMonitorCommonAlertSchema"
            || !root.TryGetProperty("data", out var data) || !data.TryGetProperty("essentials", out var essentials))
        {
            return (null, null);
        }

        string? Text(string name) => essentials.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var targets = essentials.TryGetProperty("alertTargetIDs", out var ids) && ids.ValueKind == JsonValueKind.Array
            ? ids.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).ToList()
            : [];
        var alertId = Text("alertId");
        var condition = Text("monitorCondition");
        if (alertId is null || condition is null || targets.Count == 0)
        {
            return (null, null);
        }

        var severity = Text("severity") is { Length: 4 } sev && sev.StartsWith("Sev", StringComparison.OrdinalIgnoreCase) && int.TryParse(sev[3..], NumberStyles.None, CultureInfo.InvariantCulture, out var level) ? level : 4;
        var fired = DateTimeOffset.TryParse(Text(condition == "Resolved" ? "resolvedDateTime" : "firedDateTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
        var signal = new SignalEvent(Source, SignalKinds.Alert, targets[0])
        {
            Name = Text("alertRule"),
            Severity = severity,
            State = condition,
            Resources = targets,
            At = fired,
            Url = "https://portal.azure.com/#blade/Microsoft_Azure_Monitoring_Alerts/AlertDetails.ReactView/alertId/" + Uri.EscapeDataString(alertId),
        };
        return (signal, $"{alertId}|{condition}");
    }
}
