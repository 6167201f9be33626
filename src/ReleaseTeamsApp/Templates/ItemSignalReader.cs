using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Templates;

/// <summary>Reads an item's "signal" object of a checklist template, reporting each problem with its location like the rest of the loader.</summary>
internal static partial class ItemSignalReader
{
    private static readonly Dictionary<string, string[]> Fields = new(StringComparer.Ordinal)
    {
        [SignalTypes.GitHubPulls] = ["milestone", "label"],
        [SignalTypes.GitHubChecks] = ["name", "ref"],
        [SignalTypes.GitHubWorkflow] = ["name", "ref"],
        [SignalTypes.GitHubRelease] = ["tag"],
        [SignalTypes.GitHubDeployment] = ["environment", "ref"],
        [SignalTypes.AzureDevOpsPipeline] = ["name", "stage", "ref"],
        [SignalTypes.AzureDevOpsPulls] = ["branch", "label"],
        [SignalTypes.MonitorQuiet] = ["severity", "window", "from", "resources"],
    };

    [GeneratedRegex(@"\{(?<name>[^{}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^Sev(?<level>[0-4])$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SeverityPattern();

    public static ItemSignal? Read(JsonElement element, string at, List<TemplateProblem> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(at, $"must be an object such as {{\"type\": \"{SignalTypes.GitHubPulls}\"}}"));
            return null;
        }

        if (!element.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(typeElement.GetString()))
        {
            problems.Add(new($"{at}.type", $"is missing; use one of: {string.Join(", ", SignalTypes.All)}"));
            return null;
        }

        var type = typeElement.GetString()!;
        if (!Fields.TryGetValue(type, out var allowed))
        {
            problems.Add(new($"{at}.type", $"unknown signal '{type}'; use one of: {string.Join(", ", SignalTypes.All)}"));
            return null;
        }

        var count = problems.Count;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name is not ("type" or "$comment") && !allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                problems.Add(new($"{at}.{property.Name}", $"is not a field of a {type} signal; expected: {(allowed.Length == 0 ? "no other fields" : string.Join(", ", allowed))}"));
            }
        }

        string? Text(string name, bool required)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    problems.Add(new($"{at}.{name}", $"is missing; a {type} signal needs it"));
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                problems.Add(new($"{at}.{name}", "must be a non-empty string"));
                return null;
            }

            var text = value.GetString()!.Trim();
            if (text.Length > 100)
            {
                problems.Add(new($"{at}.{name}", $"is {text.Length} characters; at most 100"));
            }

            foreach (Match match in Placeholder().Matches(text))
            {
                if (match.Groups["name"].Value != "version")
                {
                    problems.Add(new($"{at}.{name}", $"unknown placeholder '{match.Value}'; only {{version}} is filled in"));
                }
            }

            return text;
        }

        var signal = new ItemSignal { Type = type };
        switch (type)
        {
            case SignalTypes.GitHubPulls:
                var milestone = Text("milestone", required: false);
                var label = Text("label", required: false);
                if (milestone is not null && label is not null)
                {
                    problems.Add(new(at, "give either a milestone or a label, not both"));
                }

                signal = signal with { Milestone = label is null ? milestone ?? "{version}" : null, Label = label };
                break;
            case SignalTypes.GitHubChecks or SignalTypes.GitHubWorkflow:
                signal = signal with { Name = Text("name", required: true), Ref = Text("ref", required: false) };
                break;
            case SignalTypes.GitHubRelease:
                signal = signal with { Tag = Text("tag", required: false) ?? "v{version}" };
                break;
            case SignalTypes.GitHubDeployment:
                signal = signal with { Environment = Text("environment", required: true), Ref = Text("ref", required: false) };
                break;
            case SignalTypes.AzureDevOpsPipeline:
                signal = signal with { Name = Text("name", required: true), Stage = Text("stage", required: false), Ref = Text("ref", required: false) };
                break;
            case SignalTypes.AzureDevOpsPulls:
                var branch = Text("branch", required: false);
                var tag = Text("label", required: false);
                if (branch is not null && tag is not null)
                {
                    problems.Add(new(at, "give either a branch (the pull requests' target) or a label, not both"));
                }
                else if (branch is not null && branch.StartsWith("refs/", StringComparison.Ordinal) && !branch.StartsWith("refs/heads/", StringComparison.Ordinal))
                {
                    problems.Add(new($"{at}.branch", $"'{branch}' is not a branch; pull requests merge into a branch such as release/{{version}} (or refs/heads/release/{{version}})"));
                }

                signal = signal with { Ref = tag is null ? branch ?? "release/{version}" : null, Label = tag };
                break;
            case SignalTypes.MonitorQuiet:
                signal = ReadQuiet(signal, Text("severity", required: false), Text("window", required: true), Text("from", required: false), at, problems) with { Resources = ReadResources(element, at, problems) };
                break;
        }

        return problems.Count == count ? signal : null;
    }

    /// <summary>monitor.quiet "resources": Azure resource ids, each checked like <c>watch</c> checks it.</summary>
    private static List<string>? ReadResources(JsonElement element, string at, List<TemplateProblem> problems)
    {
        if (!element.TryGetProperty("resources", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > 20)
        {
            problems.Add(new($"{at}.resources", "must be a list of 1 to 20 Azure resource ids, e.g. [\"/subscriptions/…/resourceGroups/shop/providers/Microsoft.Web/sites/webshop\"]"));
            return null;
        }

        var resources = new List<string>();
        var index = 0;
        foreach (var resource in value.EnumerateArray())
        {
            var text = resource.ValueKind == JsonValueKind.String ? resource.GetString()!.Trim() : null;
            if (text is null || text.Length > 500 || !AzureResourceIds.IsValid(text))
            {
                problems.Add(new(string.Create(CultureInfo.InvariantCulture, $"{at}.resources[{index}]"), "is not an Azure resource id: copy it from the resource's JSON view, it starts with /subscriptions/ and names its resource group and provider"));
            }
            else
            {
                resources.Add(text);
            }

            index++;
        }

        return resources;
    }

    private static ItemSignal ReadQuiet(ItemSignal signal, string? severity, string? window, string? from, string at, List<TemplateProblem> problems)
    {
        var level = 1;
        if (severity is not null)
        {
            if (SeverityPattern().Match(severity) is { Success: true } match)
            {
                level = int.Parse(match.Groups["level"].Value, CultureInfo.InvariantCulture);
            }
            else
            {
                problems.Add(new($"{at}.severity", $"'{severity}' is not a severity; use Sev0 (critical) … Sev4 (verbose)"));
            }
        }

        TimeSpan? length = null;
        if (window is not null)
        {
            if (DueOffset.TryParse(window.StartsWith('+') ? window : "+" + window, out var offset) && offset.Value > TimeSpan.Zero && offset.Value <= TimeSpan.FromDays(14))
            {
                length = offset.Value;
            }
            else
            {
                problems.Add(new($"{at}.window", $"'{window}' is not a window length; write days/hours/minutes up to 14d, e.g. 24h, 2d, 1h30m"));
            }
        }

        var start = QuietFrom.DeploymentStart;
        if (from is not null)
        {
            switch (from)
            {
                case "deployment.start":
                    break;
                case "deployment.finish":
                    start = QuietFrom.DeploymentFinish;
                    break;
                default:
                    problems.Add(new($"{at}.from", $"'{from}' is not a window start; use deployment.start or deployment.finish"));
                    break;
            }
        }

        return signal with { Severity = level, Window = length, From = start };
    }
}
