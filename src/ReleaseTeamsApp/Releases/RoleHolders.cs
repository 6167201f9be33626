namespace ReleaseTeamsApp.Releases;

/// <summary>How the app names who holds a role, in replies and on cards: the people, or who is missing.</summary>
public static class RoleHolders
{
    public const string Unassigned = "unassigned";

    /// <summary>"Alice Adams, Bob Brown", or "unassigned" when nobody holds the role.</summary>
    public static string HolderNames(this RoleAssignments roles, ReleaseRole role)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return Names(roles[role]);
    }

    /// <summary>"Release Manager: Alice Adams", or "Release Manager (unassigned)".</summary>
    public static string RoleAndHolders(this RoleAssignments roles, ReleaseRole role)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return roles[role].Count == 0 ? UnassignedRole(role) : $"{role.DisplayName()}: {Names(roles[role])}";
    }

    /// <summary>The holders' names ("Alice Adams, Bob Brown"), or <paramref name="nobody"/> when nobody holds the role.</summary>
    /// <param name="nobody">What nobody is called here: "unassigned", or e.g. <see cref="UnassignedRole"/>.</param>
    /// <param name="name">How one holder is written (their name, or e.g. an @mention).</param>
    /// <param name="most">At most this many are named; the rest are counted ("and 2 more").</param>
    public static string Names(IReadOnlyCollection<Person> holders, string nobody = Unassigned, Func<Person, string>? name = null, string separator = ", ", int most = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(holders);
        if (holders.Count == 0)
        {
            return nobody;
        }

        var named = string.Join(separator, holders.Take(most).Select(name ?? (p => p.Name)));
        return holders.Count > most ? $"{named} and {holders.Count - most} more" : named;
    }

    /// <summary>"QA Automation Engineer (unassigned)": an item's role where nobody holds it.</summary>
    public static string UnassignedRole(ReleaseRole role) => $"{role.DisplayName()} ({Unassigned})";

    /// <summary>"the QA Automation Engineer (nobody is assigned yet)": whom a refusal points to when nobody holds the role.</summary>
    public static string NobodyAssignedYet(ReleaseRole role) => $"the {role.DisplayName()} (nobody is assigned yet)";
}
