using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Tests.Testing;

/// <summary>The release team of the tests, one person per role, plus someone who holds no role.</summary>
public static class People
{
    public static Person Alice { get; } = new("29:alice", "Alice Release-Manager", "aad-alice", "alice@octoacme.test");

    public static Person Bob { get; } = new("29:bob", "Bob QA-Automation", "aad-bob", "bob@octoacme.test");

    public static Person Carol { get; } = new("29:carol", "Carol Product-Manager", "aad-carol", "carol@octoacme.test");

    public static Person Dave { get; } = new("29:dave", "Dave Engineering-Lead", "aad-dave", "dave@octoacme.test");

    public static Person Erin { get; } = new("29:erin", "Erin Manual-QA", "aad-erin", "erin@octoacme.test");

    public static Person Frank { get; } = new("29:frank", "Frank Technical-Writer", "aad-frank", "frank@octoacme.test");

    public static Person Grace { get; } = new("29:grace", "Grace UX-Designer", "aad-grace", "grace@octoacme.test");

    public static Person Heidi { get; } = new("29:heidi", "Heidi Support-Lead", "aad-heidi", "heidi@octoacme.test");

    /// <summary>In the channel, but holds no role on the release.</summary>
    public static Person Mallory { get; } = new("29:mallory", "Mallory Bystander", "aad-mallory", "mallory@octoacme.test");

    /// <summary>Who holds which role by default: Alice is the Release Manager, Bob the QA Automation Engineer, and so on.</summary>
    public static IReadOnlyDictionary<ReleaseRole, Person> Team { get; } = new Dictionary<ReleaseRole, Person>
    {
        [ReleaseRole.ReleaseManager] = Alice,
        [ReleaseRole.QaAutomationEngineer] = Bob,
        [ReleaseRole.ProductManager] = Carol,
        [ReleaseRole.EngineeringLead] = Dave,
        [ReleaseRole.ManualQa] = Erin,
        [ReleaseRole.TechnicalWriter] = Frank,
        [ReleaseRole.UxDesigner] = Grace,
        [ReleaseRole.SupportLead] = Heidi,
    };

    public static Person Holding(ReleaseRole role) => Team[role];
}
