namespace ReleaseTeamsApp.Releases;

/// <summary>The roles that own checklist items, as the seed checklist names them.</summary>
public enum ReleaseRole
{
    ReleaseManager,
    ProductManager,
    QaAutomationEngineer,
    ManualQa,
    TechnicalWriter,
    UxDesigner,
    SupportLead,
    EngineeringLead,
}

internal static class ReleaseRoles
{
    private static readonly Dictionary<ReleaseRole, string> DisplayNames = new()
    {
        [ReleaseRole.ReleaseManager] = "Release Manager",
        [ReleaseRole.ProductManager] = "Product Manager",
        [ReleaseRole.QaAutomationEngineer] = "QA Automation Engineer",
        [ReleaseRole.ManualQa] = "Manual QA",
        [ReleaseRole.TechnicalWriter] = "Technical Writer",
        [ReleaseRole.UxDesigner] = "UX Designer",
        [ReleaseRole.SupportLead] = "Support Lead",
        [ReleaseRole.EngineeringLead] = "Engineering Lead",
    };

    // Short forms people type in commands ("assign qa @Kim").
    private static readonly Dictionary<string, ReleaseRole> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["rm"] = ReleaseRole.ReleaseManager,
        ["pm"] = ReleaseRole.ProductManager,
        ["qa"] = ReleaseRole.QaAutomationEngineer,
        ["qa-automation"] = ReleaseRole.QaAutomationEngineer,
        ["automation"] = ReleaseRole.QaAutomationEngineer,
        ["manual-qa"] = ReleaseRole.ManualQa,
        ["mqa"] = ReleaseRole.ManualQa,
        ["writer"] = ReleaseRole.TechnicalWriter,
        ["tech-writer"] = ReleaseRole.TechnicalWriter,
        ["tw"] = ReleaseRole.TechnicalWriter,
        ["ux"] = ReleaseRole.UxDesigner,
        ["designer"] = ReleaseRole.UxDesigner,
        ["support"] = ReleaseRole.SupportLead,
        ["eng"] = ReleaseRole.EngineeringLead,
        ["eng-lead"] = ReleaseRole.EngineeringLead,
        ["el"] = ReleaseRole.EngineeringLead,
    };

    public static IReadOnlyList<ReleaseRole> All { get; } = Enum.GetValues<ReleaseRole>();

    public static string DisplayName(this ReleaseRole role) => DisplayNames[role];

    /// <summary>Accepts the display name, the identifier, a dashed form or a short alias, ignoring case.</summary>
    public static bool TryParse(string? text, out ReleaseRole role)
    {
        role = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        if (Aliases.TryGetValue(trimmed, out role))
        {
            return true;
        }

        var compact = new string(trimmed.Where(char.IsLetter).ToArray());
        foreach (var (candidate, name) in DisplayNames)
        {
            if (string.Equals(compact, candidate.ToString(), StringComparison.OrdinalIgnoreCase)
                || string.Equals(trimmed, name, StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        return false;
    }

    public static string Accepted => string.Join(", ", DisplayNames.Values);
}
