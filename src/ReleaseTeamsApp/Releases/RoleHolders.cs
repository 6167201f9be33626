namespace ReleaseTeamsApp.Releases;

/// <summary>How the app names who holds a role, in replies and on cards: the people, or "unassigned".</summary>
public static class RoleHolders
{
    public const string Unassigned = "unassigned";

    /// <summary>"Alice Adams, Bob Brown", or "unassigned" when nobody holds the role.</summary>
    public static string HolderNames(this RoleAssignments roles, ReleaseRole role)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return Names(roles[role]);
    }

    /// <summary>"Alice Adams, Bob Brown", or "unassigned" for nobody.</summary>
    public static string Names(IReadOnlyCollection<Person> holders)
    {
        ArgumentNullException.ThrowIfNull(holders);
        return holders.Count == 0 ? Unassigned : string.Join(", ", holders.Select(p => p.Name));
    }
}
