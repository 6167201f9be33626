// Over 300 lines: one reader for the whole template format, so every problem is reported with its JSON path in one pass.
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Templates;

/// <summary>One thing wrong with a template, with where it is (a JSON path such as phases[1].sections[0].items[2].owner).</summary>
public sealed record TemplateProblem(string Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}

internal sealed record TemplateLoadResult(ChecklistTemplate? Template, IReadOnlyList<TemplateProblem> Problems)
{
    public bool IsValid => Template is not null && Problems.Count == 0;
}

/// <summary>
/// Reads a checklist template (JSON) and reports every problem it finds, not just the first,
/// so a release manager can fix a file in one go.
/// </summary>
internal static partial class ChecklistTemplateLoader
{
    /// <summary>A release, its items and its first audit row commit in one entity-group transaction (100 rows max).</summary>
    public const int MaxItems = 90;

    public const int MaxTextLength = TextLimits.TemplateText;

    public const int MaxPhases = 10;

    public const int MaxSectionsPerPhase = 15;

    public const int MaxDuties = 20;

    /// <summary>Phases, sections and duties are copied onto every release row (its outline), which Table Storage caps.</summary>
    public const int MaxOutlineLength = 15_000;

    private const string IfApplicable = "(if applicable)";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Slug();

    private static readonly Lazy<ChecklistTemplate> BuiltIn = new(LoadBuiltIn);

    /// <summary>The seed checklist, item for item: the template every new release uses unless a team supplies its own.</summary>
    public static ChecklistTemplate Default => BuiltIn.Value;

    public static TemplateLoadResult Load(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            return new(null, [new TemplateProblem($"line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}", "the file is not valid JSON")]);
        }

        using (document)
        {
            var reader = new TemplateReader();
            var template = reader.Read(document.RootElement);
            return new(reader.Problems.Count == 0 ? template : null, reader.Problems);
        }
    }

    private static ChecklistTemplate LoadBuiltIn()
    {
        using var stream = typeof(ChecklistTemplateLoader).Assembly.GetManifestResourceStream("Checklists.octoacme-release-coordination.json")
            ?? throw new InvalidOperationException("The built-in checklist template is missing from the assembly.");
        using var text = new StreamReader(stream);
        var result = Load(text.ReadToEnd());
        return result.IsValid
            ? result.Template!
            : throw new InvalidOperationException("The built-in checklist template is invalid: " + string.Join("; ", result.Problems));
    }

    private sealed class TemplateReader
    {
        private readonly HashSet<string> _itemIds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _behaviours = new(StringComparer.Ordinal);
        private int _itemCount;

        public List<TemplateProblem> Problems { get; } = [];

        public ChecklistTemplate? Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Problems.Add(new("$", "the template must be a JSON object"));
                return null;
            }

            Known(root, "$", "$comment", "id", "version", "name", "purpose", "phases", "releaseManagerDuties");
            var id = SlugProperty(root, "$", "id");
            var version = VersionProperty(root);
            var name = Text(root, "$", "name", required: true, TextLimits.Name);
            var purpose = Text(root, "$", "purpose", required: false, TextLimits.TemplateDescription);
            var phases = List(root, "$", "phases", ReadPhase, MaxPhases);
            var duties = root.TryGetProperty("releaseManagerDuties", out var d) ? ReadDuties(d, "releaseManagerDuties") : null;

            if (phases.Count > 0 && phases.All(p => p.OnDemand))
            {
                Problems.Add(new("phases", "at least one phase must be scheduled (not on demand)"));
            }

            if (_itemCount > MaxItems)
            {
                Problems.Add(new("phases", $"the template has {_itemCount} items; at most {MaxItems} are supported"));
            }

            var template = new ChecklistTemplate(id ?? "", version, name ?? "", purpose, phases, duties);
            var outline = StoredJson.Write(ChecklistOutline.From(template)).Length;
            if (outline > MaxOutlineLength)
            {
                Problems.Add(new("phases", string.Create(CultureInfo.InvariantCulture, $"the phase and section titles, descriptions and duties are {outline:N0} characters together; keep them to {MaxOutlineLength:N0} at most (every release stores them)")));
            }

            return template;
        }

        private ChecklistPhase ReadPhase(JsonElement phase, string at)
        {
            Known(phase, at, "$comment", "id", "title", "kind", "onDemand", "description", "sections");
            var id = SlugProperty(phase, at, "id");
            var title = Text(phase, at, "title", required: true);
            var kind = PhaseKind.PreRelease;
            var kindText = Text(phase, at, "kind", required: true);
            if (kindText is not null && !Enum.TryParse(kindText, ignoreCase: true, out kind))
            {
                Problems.Add(new($"{at}.kind", $"unknown phase kind '{kindText}'; use preRelease, releaseDay, postRelease or rollback"));
            }

            var onDemand = kind == PhaseKind.Rollback;
            if (phase.TryGetProperty("onDemand", out var onDemandElement))
            {
                if (onDemandElement.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    onDemand = onDemandElement.GetBoolean();
                }
                else
                {
                    Problems.Add(new($"{at}.onDemand", "must be true or false"));
                }
            }

            var description = Text(phase, at, "description", required: false, TextLimits.TemplateDescription);
            var sections = List(phase, at, "sections", (s, sAt) => ReadSection(s, sAt, kind, onDemand), MaxSectionsPerPhase);
            return new ChecklistPhase(id ?? "", title ?? "", kind, onDemand, description, sections);
        }

        private ChecklistSection ReadSection(JsonElement section, string at, PhaseKind kind, bool onDemand)
        {
            Known(section, at, "$comment", "id", "title", "items");
            var id = SlugProperty(section, at, "id");
            var title = Text(section, at, "title", required: true);
            var items = List(section, at, "items", (i, iAt) => ReadItem(i, iAt, kind, onDemand));
            return new ChecklistSection(id ?? "", title ?? "", items);
        }

        private TemplateItem ReadItem(JsonElement item, string at, PhaseKind kind, bool onDemand)
        {
            _itemCount++;
            Known(item, at, "$comment", "id", "text", "owner", "due", "required", "signal", "behaviour");
            var id = SlugProperty(item, at, "id");
            if (id is not null && !_itemIds.Add(id))
            {
                Problems.Add(new($"{at}.id", $"duplicate item id '{id}'; item ids must be unique across the template"));
            }

            var text = Text(item, at, "text", required: true);

            var owner = ReleaseRole.ReleaseManager;
            var ownerText = Text(item, at, "owner", required: true);
            if (ownerText is not null && !ReleaseRoles.TryParse(ownerText, out owner))
            {
                Problems.Add(new($"{at}.owner", $"unknown role '{ownerText}'; use one of: {ReleaseRoles.Accepted}"));
            }

            var due = default(DueOffset);
            var dueText = Text(item, at, "due", required: true);
            if (dueText is not null)
            {
                if (!DueOffset.TryParse(dueText, out due))
                {
                    Problems.Add(new($"{at}.due", $"bad offset '{dueText}'; write a sign and days/hours/minutes, e.g. -14d, +30m, +1d2h"));
                }
                else if (OffsetRule(kind, onDemand, due.Value) is { } rule)
                {
                    Problems.Add(new($"{at}.due", $"offset {dueText} is outside its phase: {rule}"));
                }
            }

            var optionalByText = text?.Contains(IfApplicable, StringComparison.OrdinalIgnoreCase) == true;
            var required = !optionalByText;
            if (item.TryGetProperty("required", out var requiredElement))
            {
                if (requiredElement.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    required = requiredElement.GetBoolean();
                    if (required && optionalByText)
                    {
                        Problems.Add(new($"{at}.required", "an \"(if applicable)\" item must be optional (required: false)"));
                    }
                }
                else
                {
                    Problems.Add(new($"{at}.required", "must be true or false"));
                }
            }

            var signal = item.TryGetProperty("signal", out var signalElement) ? Templates.ItemSignalReader.Read(signalElement, $"{at}.signal", Problems) : null;
            var behaviour = Behaviour(item, at, kind);
            return new TemplateItem(id ?? "", text ?? "", owner, due, required) { Signal = signal, Behaviour = behaviour };
        }

        private string? Behaviour(JsonElement item, string at, PhaseKind kind)
        {
            var behaviour = Text(item, at, "behaviour", required: false);
            if (behaviour is null)
            {
                return null;
            }

            var path = $"{at}.behaviour";
            if (!ItemBehaviour.Known.Contains(behaviour, StringComparer.Ordinal))
            {
                Problems.Add(new(path, $"unknown behaviour '{behaviour}'; use one of: {string.Join(", ", ItemBehaviour.Known)}"));
                return null;
            }

            if (ItemBehaviour.NeedsRollbackPhase(behaviour) && kind != PhaseKind.Rollback)
            {
                Problems.Add(new(path, $"{behaviour} acts on the rollback checklist; put the item in a phase of kind rollback"));
            }

            if (!_behaviours.TryAdd(behaviour, path))
            {
                Problems.Add(new(path, $"{behaviour} is already declared at {_behaviours[behaviour]}; one item per behaviour"));
            }

            return behaviour;
        }

        private static string? OffsetRule(PhaseKind kind, bool onDemand, TimeSpan offset) => (kind, onDemand) switch
        {
            (_, true) when offset < TimeSpan.Zero => "on-demand items count from the trigger and cannot be negative",
            (PhaseKind.PreRelease, false) when offset >= TimeSpan.Zero || offset < TimeSpan.FromDays(-28) => "pre-release items are due before the release (between -28d and -1m)",
            (PhaseKind.ReleaseDay, false) when offset < TimeSpan.Zero || offset > TimeSpan.FromDays(2) => "release-day items are due from the window start up to +2d",
            (PhaseKind.PostRelease, false) when offset < TimeSpan.FromDays(1) || offset > TimeSpan.FromDays(14) => "post-release items are due between +1d and +14d",
            _ => null,
        };

        private ReleaseManagerDuties? ReadDuties(JsonElement duties, string at)
        {
            if (duties.ValueKind != JsonValueKind.Object)
            {
                Problems.Add(new(at, "must be an object with title, intro and duties"));
                return null;
            }

            Known(duties, at, "$comment", "title", "intro", "duties");
            var title = Text(duties, at, "title", required: true);
            var intro = Text(duties, at, "intro", required: false, TextLimits.TemplateDescription);
            var lines = List(duties, at, "duties", (e, eAt) =>
            {
                if (e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString()))
                {
                    Problems.Add(new(eAt, "must be a non-empty string"));
                    return "";
                }

                TooLong(eAt, e.GetString()!, MaxTextLength);
                return e.GetString()!;
            }, MaxDuties);
            return new ReleaseManagerDuties(title ?? "", intro, lines);
        }

        private int VersionProperty(JsonElement root)
        {
            if (!root.TryGetProperty("version", out var version))
            {
                Problems.Add(new("version", "is missing; templates are versioned (1, 2, …)"));
                return 0;
            }

            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var value) || value < 1)
            {
                Problems.Add(new("version", "must be a whole number of at least 1"));
                return 0;
            }

            return value;
        }

        private string? SlugProperty(JsonElement owner, string at, string name)
        {
            var value = Text(owner, at, name, required: true);
            if (value is not null && !Slug().IsMatch(value))
            {
                Problems.Add(new(Path(at, name), $"'{value}' must be lowercase letters, digits and dashes (at most 63)"));
            }

            return value;
        }

        private string? Text(JsonElement owner, string at, string name, bool required, int max = MaxTextLength)
        {
            if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Problems.Add(new(Path(at, name), "is missing"));
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.String || (required && string.IsNullOrWhiteSpace(value.GetString())))
            {
                Problems.Add(new(Path(at, name), "must be a non-empty string"));
                return null;
            }

            TooLong(Path(at, name), value.GetString()!, max);
            return value.GetString();
        }

        private void TooLong(string path, string text, int max)
        {
            if (text.Length > max)
            {
                Problems.Add(new(path, string.Create(CultureInfo.InvariantCulture, $"is {text.Length:N0} characters; keep it to {max:N0} at most")));
            }
        }

        private List<T> List<T>(JsonElement owner, string at, string name, Func<JsonElement, string, T> read, int max = int.MaxValue)
        {
            var path = Path(at, name);
            if (!owner.TryGetProperty(name, out var array))
            {
                Problems.Add(new(path, "is missing"));
                return [];
            }

            if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
            {
                Problems.Add(new(path, "must be a non-empty array"));
                return [];
            }

            if (array.GetArrayLength() > max)
            {
                Problems.Add(new(path, string.Create(CultureInfo.InvariantCulture, $"has {array.GetArrayLength()} entries; at most {max} are supported")));
                return [];
            }

            var result = new List<T>();
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                var elementPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]");
                if (typeof(T) != typeof(string) && element.ValueKind != JsonValueKind.Object)
                {
                    Problems.Add(new(elementPath, "must be an object"));
                    continue;
                }

                result.Add(read(element, elementPath));
            }

            if (typeof(T) != typeof(string))
            {
                var ids = result.Select(r => r switch { ChecklistPhase p => p.Id, ChecklistSection s => s.Id, _ => null }).Where(i => !string.IsNullOrEmpty(i)).ToList();
                foreach (var duplicate in ids.GroupBy(i => i, StringComparer.Ordinal).Where(g => g.Count() > 1))
                {
                    Problems.Add(new(path, $"duplicate id '{duplicate.Key}'"));
                }
            }

            return result;
        }

        private void Known(JsonElement element, string at, params string[] names)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!names.Contains(property.Name, StringComparer.Ordinal))
                {
                    Problems.Add(new(Path(at, property.Name), $"unknown property; expected one of: {string.Join(", ", names.Where(n => n != "$comment"))}"));
                }
            }
        }

        private static string Path(string at, string name) => at == "$" ? name : $"{at}.{name}";
    }
}
