using System.Globalization;
using System.Text.Json.Serialization;

namespace ReleaseTeamsApp.Releases;

/// <summary>A Teams user as the bot sees them: the channel user id (29:…), display name and Entra object id when known.</summary>
public sealed record Person(string Id, string Name, string? AadObjectId = null, string? Email = null)
{
    /// <summary>
    /// The same person: same Teams user id, or same Entra object id (someone assigned by email before the bot ever saw
    /// their Teams id is recognised when they act on a card).
    /// </summary>
    public bool IsSame(Person? other) =>
        other is not null
        && (string.Equals(Id, other.Id, StringComparison.Ordinal)
            || (AadObjectId is { Length: > 0 } && string.Equals(AadObjectId, other.AadObjectId, StringComparison.OrdinalIgnoreCase)));

    /// <summary>A Teams user id the connector and card refresh understand (people known only by email have none yet).</summary>
    [JsonIgnore]
    public bool HasTeamsId => !Id.StartsWith("aad:", StringComparison.Ordinal) && !IsSignal;

    /// <summary>Not a person: a signal from GitHub, Azure DevOps or Azure Monitor that settled an item (id "signal:…").</summary>
    [JsonIgnore]
    public bool IsSignal => Id.StartsWith("signal:", StringComparison.Ordinal);
}

public enum ReleaseStatus
{
    Planning,
    Deploying,
    Deployed,
    RolledBack,
    Closed,
}

/// <summary>The release's deployment window on its release date, in the team's time zone.</summary>
public sealed record DeploymentWindow(TimeOnly Start, TimeOnly End)
{
    public static DeploymentWindow Default { get; } = new(new TimeOnly(10, 0), new TimeOnly(12, 0));

    /// <summary>A window may cross midnight (22:00–02:00): TimeOnly subtraction wraps around it.</summary>
    [JsonIgnore]
    public TimeSpan Length => End - Start;

    public override string ToString() => $"{Start:HH\\:mm}–{End:HH\\:mm}";
}

/// <summary>Where the release lives in Teams: the channel, the thread the bot started, and the card messages it posted there.</summary>
public sealed record ReleaseThread(string ServiceUrl, string ConversationId, string? RootActivityId, IReadOnlyDictionary<string, string> PhaseCardActivityIds)
{
    public ReleaseThread WithPhaseCard(string phaseId, string activityId) =>
        this with { PhaseCardActivityIds = new Dictionary<string, string>(PhaseCardActivityIds) { [phaseId] = activityId } };
}

/// <summary>Identifies the channel a release belongs to; releases are only ever visible inside their tenant and team.</summary>
public sealed record ChannelKey(string TenantId, string TeamId, string ChannelId);

public sealed record Release
{
    public required string Id { get; init; }

    public required string Version { get; init; }

    public required ChannelKey Channel { get; init; }

    public required DateOnly ReleaseDate { get; init; }

    public DeploymentWindow Window { get; init; } = DeploymentWindow.Default;

    /// <summary>IANA zone id, e.g. Europe/Berlin: due times, quiet hours and displayed times follow it.</summary>
    public required string TimeZoneId { get; init; }

    public ReleaseStatus Status { get; init; } = ReleaseStatus.Planning;

    public string? Scope { get; init; }

    public required string TemplateId { get; init; }

    public required int TemplateVersion { get; init; }

    /// <summary>The phases and sections of the template version the release started with; null for releases created before outlines were stored.</summary>
    public ChecklistOutline? Outline { get; init; }

    public RoleAssignments Roles { get; init; } = RoleAssignments.Empty;

    public IReadOnlyList<string> Stakeholders { get; init; } = [];

    /// <summary>The Release Manager said <c>mute reminders</c>: no reminder or escalation digests until <c>unmute reminders</c>.</summary>
    public bool RemindersMuted { get; init; }

    public required Person CreatedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public ReleaseThread? Thread { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public Deployment? Deployment { get; init; }

    public GoNoGo? GoNoGo { get; init; }

    public IReadOnlyList<RollbackEvent> Rollbacks { get; init; } = [];

    /// <summary>Why the release was closed with items still open (close --force).</summary>
    public string? ForcedCloseReason { get; init; }

    /// <summary>Items a signal ticked or blocked that their owners have not yet heard about in a digest.</summary>
    public IReadOnlyList<SignalNote> SignalNotes { get; init; } = [];

    [JsonIgnore]
    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>T: the release date at the start of the deployment window, as an instant.</summary>
    [JsonIgnore]
    public DateTimeOffset Start => ToInstant(ReleaseDate, Window.Start, TimeZone);

    [JsonIgnore]
    public DateTimeOffset WindowEnd => Start + Window.Length;

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);

    /// <summary>An instant as the people of this release read it: "Tue 16 Jun 10:00" in the release's time zone.</summary>
    public string LocalText(DateTimeOffset instant) => ToLocal(instant).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);

    /// <summary><see cref="LocalText"/> naming the zone: "Tue 16 Jun 10:00 (Europe/Berlin)".</summary>
    public string LocalTextWithZone(DateTimeOffset instant) => $"{LocalText(instant)} ({TimeZoneId})";

    public static DateTimeOffset ToInstant(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Spring-forward gap: the wall-clock time does not exist, so take the first instant after it.
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}

/// <summary>Who holds which role on a release. A role can have several people.</summary>
public sealed record RoleAssignments(IReadOnlyDictionary<ReleaseRole, IReadOnlyList<Person>> Holders)
{
    public static RoleAssignments Empty { get; } = new(new Dictionary<ReleaseRole, IReadOnlyList<Person>>());

    [JsonIgnore]
    public IReadOnlyList<Person> this[ReleaseRole role] => Holders.TryGetValue(role, out var people) ? people : [];

    public bool Holds(Person person, ReleaseRole role) => this[role].Any(person.IsSame);

    public IEnumerable<ReleaseRole> RolesOf(Person person) => Holders.Where(h => h.Value.Any(person.IsSame)).Select(h => h.Key);

    [JsonIgnore]
    public IEnumerable<Person> Everyone => Holders.Values.SelectMany(p => p).DistinctBy(p => p.Id);

    /// <summary>Replaces the holders of one role (the RM reassigns a role to someone else).</summary>
    public RoleAssignments Assign(ReleaseRole role, params Person[] people) =>
        new(new Dictionary<ReleaseRole, IReadOnlyList<Person>>(Holders) { [role] = people.DistinctBy(p => p.Id).ToList() });

    public RoleAssignments Add(ReleaseRole role, Person person) =>
        Holds(person, role) ? this : Assign(role, [.. this[role], person]);
}
