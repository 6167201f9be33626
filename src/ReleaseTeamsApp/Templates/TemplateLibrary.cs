using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Templates;

/// <summary>A template version a team can start releases from.</summary>
public sealed record TemplateSummary(string Id, int Version, string Name, int Items, string? UploadedBy, DateTimeOffset? UploadedAt, bool BuiltIn);

public enum TemplateSaveOutcome
{
    /// <summary>A new version was stored.</summary>
    Saved,

    /// <summary>The same version with the same content was already there: nothing changed.</summary>
    Unchanged,

    /// <summary>The file has problems; nothing was stored.</summary>
    Invalid,

    /// <summary>That version already exists with other content; nothing was stored.</summary>
    VersionTaken,
}

public sealed record TemplateSaveResult(TemplateSaveOutcome Outcome, ChecklistTemplate? Template, IReadOnlyList<TemplateProblem> Problems)
{
    public bool IsStored => Outcome is TemplateSaveOutcome.Saved or TemplateSaveOutcome.Unchanged;
}

/// <summary>
/// The checklist templates of a team: the built-in seed template plus the versions the team uploaded. A version, once
/// stored, never changes (releases keep the version they started with), so a change needs a new version number.
/// </summary>
public sealed class TemplateLibrary(ReleaseTables tables, TimeProvider time)
{
    /// <summary>The JSON text is kept in chunks: a table property holds at most 32K characters.</summary>
    public const int MaxJsonLength = ChunkLength * MaxChunks;

    /// <summary>Row keys hold the version zero-padded to six digits so they sort by version.</summary>
    public const int MaxVersion = 999_999;

    private const int ChunkLength = 30_000;
    private const int MaxChunks = 8;
    private static readonly string[] SummaryColumns = ["RowKey", "TemplateId", "Version", "Name", "Items", "UploadedBy", "UploadedAt"];

    public static ChecklistTemplate BuiltIn => ChecklistTemplateLoader.Default;

    /// <summary>Validates and stores a template version. Invalid files, and other content under an existing version, store nothing.</summary>
    public async Task<TemplateSaveResult> SaveAsync(string tenantId, string teamId, string json, string uploadedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxJsonLength)
        {
            return new(TemplateSaveOutcome.Invalid, null, [new TemplateProblem("$", $"the file is {json.Length} characters; at most {MaxJsonLength} are supported")]);
        }

        var loaded = ChecklistTemplateLoader.Load(json);
        if (!loaded.IsValid)
        {
            return new(TemplateSaveOutcome.Invalid, null, loaded.Problems);
        }

        var template = loaded.Template!;
        if (template.Version > MaxVersion)
        {
            return new(TemplateSaveOutcome.Invalid, null, [new TemplateProblem("version", $"must be at most {MaxVersion}")]);
        }

        if (template.Id == BuiltIn.Id && template.Version <= BuiltIn.Version)
        {
            return SameContent(template, BuiltIn) && template.Version == BuiltIn.Version
                ? new(TemplateSaveOutcome.Unchanged, BuiltIn, [])
                : new(TemplateSaveOutcome.VersionTaken, null, [new TemplateProblem("version", $"version {template.Version} of {template.Id} is the built-in template: use version {BuiltIn.Version + 1} or higher to replace it for this team")]);
        }

        var entity = new TableEntity(Partition(tenantId, teamId), Row(template.Id, template.Version))
        {
            ["TemplateId"] = template.Id,
            ["Version"] = template.Version,
            ["Name"] = template.Name,
            ["Items"] = template.Items.Count(),
            ["UploadedBy"] = uploadedBy,
            ["UploadedAt"] = time.GetUtcNow(),
        };
        for (var chunk = 0; chunk * ChunkLength < json.Length; chunk++)
        {
            entity[Chunk(chunk)] = json.Substring(chunk * ChunkLength, Math.Min(ChunkLength, json.Length - (chunk * ChunkLength)));
        }

        try
        {
            // A conditional insert: two uploads of the same version race, exactly one wins.
            await tables.Templates.AddEntityAsync(entity, cancellationToken);
            return new(TemplateSaveOutcome.Saved, template, []);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = await ReadAsync(entity.PartitionKey, entity.RowKey, cancellationToken);
            return existing is not null && SameContent(existing, template)
                ? new(TemplateSaveOutcome.Unchanged, existing, [])
                : new(TemplateSaveOutcome.VersionTaken, null, [new TemplateProblem("version", $"version {template.Version} of {template.Id} already exists: bump the version")]);
        }
    }

    /// <summary>A version of a template, or its latest version when none is given; null when the team has no such template.</summary>
    public async Task<ChecklistTemplate?> GetAsync(string tenantId, string teamId, string id, int? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var partition = Partition(tenantId, teamId);
        if (version is { } exact)
        {
            return id == BuiltIn.Id && exact == BuiltIn.Version ? BuiltIn : await ReadAsync(partition, Row(id, exact), cancellationToken);
        }

        string? latest = null;
        var filter = $"PartitionKey eq '{TableKeys.Quote(partition)}' and RowKey ge '{TableKeys.Quote(id)}|' and RowKey lt '{TableKeys.Quote(id)}|~'";
        await foreach (var row in tables.Templates.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            latest = row.RowKey;
        }

        // Row keys sort by zero-padded version, so the last one is the newest; a team's upload shadows the built-in only with a higher version.
        var stored = latest is null ? null : await ReadAsync(partition, latest, cancellationToken);
        return id == BuiltIn.Id && (stored is null || stored.Version <= BuiltIn.Version) ? BuiltIn : stored;
    }

    /// <summary>Every version the team can use, the built-in template first, then by id and version.</summary>
    public async Task<IReadOnlyList<TemplateSummary>> ListAsync(string tenantId, string teamId, CancellationToken cancellationToken)
    {
        var result = new List<TemplateSummary> { new(BuiltIn.Id, BuiltIn.Version, BuiltIn.Name, BuiltIn.Items.Count(), null, null, BuiltIn: true) };
        var filter = $"PartitionKey eq '{TableKeys.Quote(Partition(tenantId, teamId))}'";
        await foreach (var row in tables.Templates.QueryAsync<TableEntity>(filter, select: SummaryColumns, cancellationToken: cancellationToken))
        {
            result.Add(new TemplateSummary(
                row.GetString("TemplateId") ?? "",
                row.GetInt32("Version") ?? 0,
                row.GetString("Name") ?? "",
                row.GetInt32("Items") ?? 0,
                row.GetString("UploadedBy"),
                row.GetDateTimeOffset("UploadedAt"),
                BuiltIn: false));
        }

        return result;
    }

    private async Task<ChecklistTemplate?> ReadAsync(string partition, string row, CancellationToken cancellationToken)
    {
        var response = await tables.Templates.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } entity)
        {
            return null;
        }

        var json = string.Concat(Enumerable.Range(0, MaxChunks).Select(i => entity.GetString(Chunk(i))).TakeWhile(c => c is not null));
        var loaded = ChecklistTemplateLoader.Load(json);
        return loaded.IsValid
            ? loaded.Template
            : throw new InvalidOperationException($"The stored template {partition}/{row} is no longer valid: {string.Join("; ", loaded.Problems)}");
    }

    /// <summary>Same template whatever the formatting or comments of the file.</summary>
    private static bool SameContent(ChecklistTemplate a, ChecklistTemplate b) =>
        string.Equals(StoredJson.Write(a), StoredJson.Write(b), StringComparison.Ordinal);

    private static string Partition(string tenantId, string teamId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(teamId);
        return TableKeys.Escape($"{tenantId}|{teamId}");
    }

    private static string Row(string id, int version) => string.Create(CultureInfo.InvariantCulture, $"{id}|{version:D6}");

    private static string Chunk(int index) => string.Create(CultureInfo.InvariantCulture, $"Json{index}");
}
