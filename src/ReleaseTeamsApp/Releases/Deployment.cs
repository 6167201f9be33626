using System.Text.Json.Serialization;

namespace ReleaseTeamsApp.Releases;

/// <summary>The deployment of a release: when it started and finished, by whom, and why it started without a GO if it did.</summary>
public sealed record Deployment(DateTimeOffset StartedAt, Person StartedBy, DateTimeOffset? FinishedAt = null, Person? FinishedBy = null, string? OverrideReason = null)
{
    [JsonIgnore]
    public TimeSpan? Duration => FinishedAt - StartedAt;
}
