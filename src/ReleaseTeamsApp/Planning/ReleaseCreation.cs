using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Planning;

/// <summary>What creating a release came to: the release, or why nothing was created (one sentence that says what to do).</summary>
internal sealed record ReleaseCreated(Release? Release, string? Error)
{
    public static ReleaseCreated Refused(string error) => new(null, error);
}

/// <summary>A release about to be created: its row, its planned items and the audit row of its creation.</summary>
internal sealed record NewReleasePlan(Release Release, IReadOnlyList<ChecklistItem> Items, AuditEvent Created);

/// <summary>Something a feature sets up for a release once it is stored (e.g. the Azure resources its template watches).</summary>
internal interface IReleaseCreatedFollowUp
{
    Task CreatedAsync(Release release, IReadOnlyList<ChecklistItem> items, CancellationToken cancellationToken);
}

/// <summary>Creates a release in the channel, from the typed command or the new-release form: the same checks, the same thread.</summary>
internal sealed class ReleaseCreation(
    IReleaseStore store,
    ReleaseThreadPublisher publisher,
    TeamRoster roster,
    TemplateLibrary templates,
    TimeProvider time,
    ILogger<ReleaseCreation> logger,
    IEnumerable<IReleaseCreatedFollowUp>? followUps = null)
{
    public async Task<ReleaseCreated> CreateAsync(TurnContext turn, NewRelease command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var zone = command.TimeZoneId ?? ClientTimeZone(turn.Activity) ?? "UTC";
        if (await store.FindIdAsync(turn.Channel, command.Version, cancellationToken) is not null)
        {
            return ReleaseCreated.Refused(VersionTaken(command.Version));
        }

        // Without a template option the release uses the built-in checklist, or the team's newer version of it.
        var template = await templates.GetAsync(turn.Channel.TenantId, turn.Channel.TeamId, command.TemplateId ?? TemplateLibrary.BuiltIn.Id, null, cancellationToken);
        if (template is null)
        {
            return ReleaseCreated.Refused($"This team has no checklist template \"{command.TemplateId}\". {await TemplateListTextAsync(turn, cancellationToken)}");
        }

        var manager = await roster.CompleteAsync(turn, turn.Actor, cancellationToken);
        var (release, items, created) = Plan(Guid.NewGuid().ToString("N"), command with { TimeZoneId = zone }, turn.Channel, template, turn.Actor, manager, now);
        if (release.Start < now - TimeSpan.FromDays(1))
        {
            return ReleaseCreated.Refused($"{command.Date:yyyy-MM-dd} is in the past. Pick the date the release will go out.");
        }

        var draft = ReleaseState.Draft(release, items);

        // The version is reserved before the thread is posted: a double-submitted command posts one thread, not one per copy.
        if (!await store.ReserveVersionAsync(turn.Channel, release.Version, release.Id, now, cancellationToken))
        {
            return ReleaseCreated.Refused(VersionTaken(command.Version));
        }

        ReleaseThread thread;
        try
        {
            thread = await publisher.StartThreadAsync(draft, turn.ServiceUrl, turn.ConversationId.Split(";messageid=", 2)[0], turn.IsChannel, cancellationToken);
        }
        catch
        {
            // Nothing was posted: the version is free again for the retry.
            await store.CancelReservationAsync(turn.Channel, release.Version, release.Id, CancellationToken.None);
            throw;
        }

        release = release with { Thread = thread };
        try
        {
            await store.CreateAsync(release, items, created, cancellationToken);
        }
        catch (ReleaseVersionTakenException)
        {
            await publisher.RetractAsync(thread, cancellationToken);
            return ReleaseCreated.Refused($"Release {command.Version} was created in this channel a moment ago by someone else. Use **status {command.Version}**.");
        }
        catch
        {
            // Not stored: the thread would point at nothing, and the version is free for the retry.
            await publisher.RetractAsync(thread, CancellationToken.None);
            await store.CancelReservationAsync(turn.Channel, release.Version, release.Id, CancellationToken.None);
            throw;
        }

        foreach (var followUp in followUps ?? [])
        {
            await followUp.CreatedAsync(release, items, cancellationToken);
        }

        PlanningLog.Created(logger, release.Id, release.Version);
        return new ReleaseCreated(release, null);
    }

    /// <summary>
    /// The release a command creates, as it is stored (before its thread is posted): the release row with the creator's
    /// chosen date, window, zone and template, its items planned from the template, and the audit row of its creation. Pure.
    /// </summary>
    /// <param name="manager">The Release Manager: the creator, with what the team roster knows about them.</param>
    public static NewReleasePlan Plan(string id, NewRelease command, ChannelKey channel, ChecklistTemplate template, Person actor, Person manager, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(template);
        var release = new Release
        {
            Id = id,
            Version = command.Version,
            Channel = channel,
            ReleaseDate = command.Date,
            Window = command.Window ?? DeploymentWindow.Default,
            TimeZoneId = command.TimeZoneId ?? "UTC",
            Scope = command.Scope,
            TemplateId = template.Id,
            TemplateVersion = template.Version,
            Outline = ChecklistOutline.From(template),
            Roles = RoleAssignments.Empty.Assign(ReleaseRole.ReleaseManager, manager),
            CreatedBy = actor,
            CreatedAt = now,
        };
        var created = new AuditEvent(release.Id, now, actor, AuditActions.ReleaseCreated, After: $"{release.Version} on {release.ReleaseDate:yyyy-MM-dd} {release.Window} {release.TimeZoneId}");
        return new NewReleasePlan(release, ReleasePlanner.PlanItems(template, release), created);
    }

    private static string VersionTaken(string version) =>
        $"Release {version} already exists in this channel. Use **status {version}** to see it, or pick another version.";

    public async Task<string> TemplateListTextAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var text = new StringBuilder("Checklist templates of this team (newest version of each is used):\n\n");
        foreach (var versions in (await templates.ListAsync(turn.Channel.TenantId, turn.Channel.TeamId, cancellationToken)).GroupBy(t => t.Id))
        {
            var latest = versions.MaxBy(t => t.Version)!;
            text.Append(CultureInfo.InvariantCulture, $"- **{latest.Id}** v{latest.Version} · {latest.Name} · {latest.Items} items{(latest.BuiltIn ? " · built in" : "")}\n");
        }

        text.Append("\nUse one with its id, e.g. **new release 2.5.0 on 2026-12-24 template web-app**. Upload your own with POST /api/templates (see the README).");
        return text.ToString();
    }

    /// <summary>Teams sends the sender's time zone in a clientInfo entity; used when the command names none.</summary>
    public static string? ClientTimeZone(BotProtocol.Activity activity)
    {
        var zone = activity.Entities?.FirstOrDefault(e => e.Type == "clientInfo")?.Properties is { } properties && properties.TryGetValue("timezone", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
            ? value.GetString()
            : activity.LocalTimezone;
        return zone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _) ? zone : null;
    }
}
