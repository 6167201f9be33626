using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Tests.Testing;

/// <summary>A small custom team template (titles and duties no built-in phase has) and releases planned from it with their stored outline.</summary>
internal static class MobileTemplate
{
    public const string Json = """
        {
          "id": "mobile-release",
          "version": 2,
          "name": "Mobile Release",
          "phases": [
            {
              "id": "store-prep",
              "title": "Store preparation",
              "kind": "preRelease",
              "sections": [
                { "id": "listing", "title": "Store listing", "items": [ { "id": "screenshots", "text": "Screenshots updated", "owner": "ux", "due": "-3d" } ] }
              ]
            },
            {
              "id": "rollout",
              "title": "Staged rollout",
              "kind": "releaseDay",
              "sections": [
                { "id": "percent", "title": "Rollout steps", "items": [ { "id": "rollout-10", "text": "Rollout at 10%", "owner": "rm", "due": "+30m" } ] }
              ]
            }
          ],
          "releaseManagerDuties": {
            "title": "Mobile RM duties",
            "duties": [ "Watch the crash-free rate in the store console" ]
          }
        }
        """;

    public static ChecklistTemplate Template { get; } = ChecklistTemplateLoader.Load(Json).Template
        ?? throw new InvalidOperationException("The mobile test template does not load.");

    /// <summary>A release from this template as the bot creates it: its outline stored on the release.</summary>
    public static PlannedRelease Planned(ReleaseBuilder builder)
    {
        var planned = builder.FromTemplate(Template).BuildPlanned();
        return planned with { Release = planned.Release with { Outline = ChecklistOutline.From(Template) } };
    }
}
