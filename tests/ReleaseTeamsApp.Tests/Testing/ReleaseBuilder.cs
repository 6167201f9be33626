using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Tests.Testing;

/// <summary>
/// A release as the RM would create it: version, date, window, time zone, channel and roles, with its items planned
/// from the built-in template. By default the whole <see cref="People.Team"/> holds its roles.
/// </summary>
public sealed class ReleaseBuilder
{
    public static ChannelKey DefaultChannel { get; } = new("tenant-octoacme", "team-platform", "19:releases@thread.tacv2");

    private static int s_versions;

    private readonly Dictionary<ReleaseRole, List<Person>> _roles = People.Team.ToDictionary(p => p.Key, p => new List<Person> { p.Value });
    private string _id = "rel" + Guid.NewGuid().ToString("N")[..12];
    // Unique by default: a channel refuses the same version twice.
    private string _version = $"2.4.{Interlocked.Increment(ref s_versions)}";
    private DateOnly _date = new(2026, 6, 16);
    private DeploymentWindow _window = DeploymentWindow.Default;
    private string _timeZoneId = "Europe/Berlin";
    private ChannelKey _channel = DefaultChannel;
    private ReleaseStatus _status = ReleaseStatus.Planning;
    private ChecklistTemplate _template = ChecklistTemplateLoader.Default;
    private Person _createdBy = People.Alice;
    private DateTimeOffset _createdAt = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);

    public ReleaseBuilder WithId(string id)
    {
        _id = id;
        return this;
    }

    public ReleaseBuilder WithVersion(string version)
    {
        _version = version;
        return this;
    }

    public ReleaseBuilder On(DateOnly releaseDate)
    {
        _date = releaseDate;
        return this;
    }

    public ReleaseBuilder On(int year, int month, int day) => On(new DateOnly(year, month, day));

    public ReleaseBuilder WithWindow(TimeOnly start, TimeOnly end)
    {
        _window = new DeploymentWindow(start, end);
        return this;
    }

    public ReleaseBuilder InTimeZone(string ianaTimeZoneId)
    {
        _timeZoneId = ianaTimeZoneId;
        return this;
    }

    public ReleaseBuilder InChannel(ChannelKey channel)
    {
        _channel = channel;
        return this;
    }

    public ReleaseBuilder InChannel(string tenantId, string teamId, string channelId) => InChannel(new ChannelKey(tenantId, teamId, channelId));

    /// <summary>Makes <paramref name="person"/> the (only) holder of <paramref name="role"/>.</summary>
    public ReleaseBuilder WithRole(ReleaseRole role, Person person)
    {
        _roles[role] = [person];
        return this;
    }

    /// <summary>Adds <paramref name="person"/> as one more holder of <paramref name="role"/>.</summary>
    public ReleaseBuilder AlsoWithRole(ReleaseRole role, Person person)
    {
        _roles.TryAdd(role, []);
        _roles[role].Add(person);
        return this;
    }

    public ReleaseBuilder WithoutRole(ReleaseRole role)
    {
        _roles.Remove(role);
        return this;
    }

    public ReleaseBuilder WithStatus(ReleaseStatus status)
    {
        _status = status;
        return this;
    }

    public ReleaseBuilder FromTemplate(ChecklistTemplate template)
    {
        _template = template;
        return this;
    }

    public ReleaseBuilder CreatedBy(Person person, DateTimeOffset at)
    {
        _createdBy = person;
        _createdAt = at;
        return this;
    }

    public Release Build() => new()
    {
        Id = _id,
        Version = _version,
        Channel = _channel,
        ReleaseDate = _date,
        Window = _window,
        TimeZoneId = _timeZoneId,
        Status = _status,
        TemplateId = _template.Id,
        TemplateVersion = _template.Version,
        Roles = new RoleAssignments(_roles.ToDictionary(r => r.Key, r => (IReadOnlyList<Person>)r.Value.ToList())),
        CreatedBy = _createdBy,
        CreatedAt = _createdAt,
    };

    /// <summary>The release with its items planned by <see cref="ReleasePlanner.PlanItems"/> and the audit row its creation writes.</summary>
    public PlannedRelease BuildPlanned()
    {
        var release = Build();
        return new PlannedRelease(release, ReleasePlanner.PlanItems(_template, release), new AuditEvent(release.Id, _createdAt, _createdBy, AuditActions.ReleaseCreated));
    }
}

public sealed record PlannedRelease(Release Release, IReadOnlyList<ChecklistItem> Items, AuditEvent Created)
{
    public ChecklistItem Item(string itemId) => Items.Single(i => i.Id == itemId);
}
