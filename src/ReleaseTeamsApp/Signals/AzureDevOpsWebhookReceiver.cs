using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReleaseTeamsApp.Signals;

/// <summary>
/// POST /api/hooks/azure-devops: Azure DevOps service hooks (web hook consumer) with the subscription's basic
/// authentication; POST /api/hooks/azure-devops/check: an "Invoke REST API" check in callback mode, through a generic
/// service connection with the same credentials. The password is compared in constant time; a notification id
/// already received is refused; everything else is queued for the evaluator, so Azure DevOps hears back at once.
/// </summary>
public sealed class AzureDevOpsWebhookReceiver(IOptions<AzureDevOpsOptions> options, SignalInbox inbox, AzureDevOpsApi api, HookTraffic traffic, ILogger<AzureDevOpsWebhookReceiver> logger)
{
    public const int MaxBodyBytes = 1024 * 1024;

    private static readonly string[] CheckHeaders = ["PlanUrl", "ProjectId", "HubName", "PlanId", "JobId", "TaskInstanceId", "AuthToken", "BuildId"];
    private static readonly string[] PlainIds = ["ProjectId", "HubName", "PlanId", "JobId", "TaskInstanceId"];

    public async Task<HookReceipt> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var ack = traffic.Begin(AzureDevOpsDeliveries.Source);
        if (Refused(request) is { } refused)
        {
            return refused;
        }

        var project = request.Query["project"].ToString();
        if (project.Length > 0 && !SignalLinks.IsProject(project))
        {
            return HookReceipt.BadRequest($"The hook URL's project \"{Checklist.ReleaseCards.Shorten(project, 80)}\" is not organization/project: write it like ?project=octoacme/Webshop, or leave it out.");
        }

        var body = await HookBodies.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return HookReceipt.BadRequest("The notification is larger than 1 MB.");
        }

        AzureDevOpsDeliveries.Delivery? delivery;
        try
        {
            delivery = AzureDevOpsDeliveries.Read(body, project.Length > 0 ? project : null);
        }
        catch (JsonException)
        {
            delivery = null;
        }

        if (delivery is null)
        {
            return HookReceipt.BadRequest("The body is not an Azure DevOps service hook notification (it needs id, eventType and resource): send it with the Web Hooks consumer, resource details to send: All.");
        }

        if (!await inbox.AcceptAsync(AzureDevOpsDeliveries.Source, delivery.Id, delivery.Signal, cancellationToken))
        {
            SignalsLog.AzureDevOpsReplayed(logger, delivery.Id);
            return HookReceipt.Unauthorized($"Notification {delivery.Id} was already received; a replayed notification changes nothing.");
        }

        SignalsLog.AzureDevOpsAccepted(logger, delivery.Id, delivery.EventType, delivery.Signal?.Kind ?? "ignored");
        return HookReceipt.Accepted(delivery.Signal is null
            ? $"{delivery.EventType} received; nothing in it settles a checklist item."
            : $"{delivery.EventType} received; it is evaluated within seconds.");
    }

    /// <summary>An Invoke REST API check (callback mode): its headers are kept and the go/no-go answers it later.</summary>
    public async Task<HookReceipt> ReceiveCheckAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var ack = traffic.Begin(AzureDevOpsDeliveries.Source);
        if (Refused(request) is { } refused)
        {
            return refused;
        }

        string Header(string name) => request.Headers[name].ToString().Trim();
        var missing = CheckHeaders.Where(h => Header(h).Length == 0).ToList();
        if (missing.Count > 0)
        {
            return HookReceipt.BadRequest($"The check sent no {string.Join(", ", missing)} header: add them to the check's headers as in the README (\"BuildId\": \"$(build.BuildId)\" among them).");
        }

        if (!long.TryParse(Header("BuildId"), NumberStyles.None, CultureInfo.InvariantCulture, out var buildId)
            || PlainIds.Any(h => Header(h).Length > 100 || Header(h).Contains('/', StringComparison.Ordinal)))
        {
            return HookReceipt.BadRequest("The check's BuildId must be a number and its ProjectId, HubName, PlanId, JobId and TaskInstanceId plain ids: use the values $(build.BuildId), $(system.TeamProjectId), $(system.HostType), $(system.PlanId), $(system.JobId), $(system.TaskInstanceId).");
        }

        if (!api.IsTrusted(Header("PlanUrl")))
        {
            SignalsLog.AzureDevOpsCheckUntrusted(logger);
            return HookReceipt.BadRequest($"The check's PlanUrl is not under AzureDevOps__ApiBaseUrl ({options.Value.ApiBaseUrl}): set AzureDevOps__ApiBaseUrl to your organization's or server's URL.");
        }

        var check = new PipelineCheck(Header("PlanUrl"), Header("ProjectId"), Header("HubName"), Header("PlanId"), Header("JobId"), Header("TimelineId") is { Length: > 0 } t ? t : null, Header("TaskInstanceId"), Header("AuthToken"), buildId);
        var project = request.Query["project"].ToString();
        var signal = new SignalEvent(AzureDevOpsDeliveries.Source, SignalKinds.PipelineCheck, SignalLinks.IsProject(project) ? project : "") { Check = check, Number = buildId };
        var delivery = $"check|{check.PlanId}|{check.TaskInstanceId}";
        if (!await inbox.AcceptAsync(AzureDevOpsDeliveries.Source, delivery, signal, cancellationToken))
        {
            // Azure DevOps delivers a check again when it did not see the first answer: it is waiting already, so say yes again.
            return new HookReceipt(200, "This check is already waiting for the go/no-go; the decision completes it.");
        }

        SignalsLog.AzureDevOpsCheckWaits(logger, check.PlanId, buildId);
        return new HookReceipt(200, "The check waits for the release's go/no-go in Teams: GO passes it, NO-GO or a veto fails it.");
    }

    private HookReceipt? Refused(HttpRequest request)
    {
        var secret = options.Value.WebhookSecret;
        if (string.IsNullOrEmpty(secret))
        {
            SignalsLog.AzureDevOpsNoSecret(logger);
            return HookReceipt.Unauthorized("This app has no Azure DevOps secret configured (AzureDevOps__WebhookSecret), so it cannot verify service hooks or checks.");
        }

        if (!IsAuthorized(request.Headers.Authorization.ToString(), secret))
        {
            SignalsLog.AzureDevOpsForged(logger);
            return HookReceipt.Unauthorized("The basic authentication password does not match AzureDevOps__WebhookSecret: set it as the password of the service hook subscription (or the check's service connection).");
        }

        return null;
    }

    /// <summary>Basic user:password whose password is the secret; compared in constant time, whatever the user name.</summary>
    public static bool IsAuthorized(string? authorization, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || authorization.Length > 4096)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        return SharedSecret.Matches(decoded[(colon + 1)..], secret);
    }
}
