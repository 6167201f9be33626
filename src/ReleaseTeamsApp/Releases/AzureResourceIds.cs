using System.Text.RegularExpressions;

namespace ReleaseTeamsApp.Releases;

/// <summary>Azure resource ids as people and templates give them (what a monitor.quiet signal or a link watches).</summary>
internal static partial class AzureResourceIds
{
    [GeneratedRegex(@"^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+(/providers/[^/]+/[^/]+/[^/]+)*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    public static bool IsValid(string text) => Pattern().IsMatch(text);
}
