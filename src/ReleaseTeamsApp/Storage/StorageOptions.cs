using System.ComponentModel.DataAnnotations;

namespace ReleaseTeamsApp.Storage;

/// <summary>Where the app keeps its state. Locally a connection string (Azurite); in Azure the table endpoint and the managed identity.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    /// <summary>The queue endpoint (https://&lt;account&gt;.queue.core.windows.net) used with the managed identity; unused with a connection string.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>
    /// Prepended to the work queues' names (lower-cased) so test runs sharing one Azurite stay apart. Leave it empty in
    /// Azure: the Functions host listens on the queue names in the function attributes.
    /// </summary>
    [RegularExpression("^[a-z0-9]{0,20}$", ErrorMessage = "Storage:QueuePrefix may contain only lower-case letters and digits (at most 20).")]
    public string QueuePrefix { get; set; } = "";

    /// <summary>Prepended to every table name so several deployments (or test classes) can share one account.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,20}$|^$", ErrorMessage = "Storage:TablePrefix must start with a letter and contain only letters and digits (at most 21).")]
    public string TablePrefix { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && TableServiceUri is null)
        {
            yield return new ValidationResult(
                "Set Storage:ConnectionString (e.g. UseDevelopmentStorage=true for Azurite) or Storage:TableServiceUri (https://<account>.table.core.windows.net with a managed identity).",
                [nameof(ConnectionString), nameof(TableServiceUri)]);
        }
    }
}
