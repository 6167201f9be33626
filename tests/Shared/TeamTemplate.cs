using System.Globalization;

namespace ReleaseTeamsApp.Testing;

/// <summary>A small valid team template (two scheduled phases) whose titles and items carry the version, so versions are told apart.</summary>
public static class TeamTemplate
{
    public const string Id = "team-checklist";

    public static string Json(int version, string id = Id, string indent = "  ") => string.Format(CultureInfo.InvariantCulture, """
        {{
        {2}"id": "{0}",
        {2}"version": {1},
        {2}"name": "Team checklist v{1}",
        {2}"phases": [
        {2}{2}{{ "id": "readiness", "title": "Readiness v{1}", "kind": "preRelease", "sections": [
        {2}{2}{2}{{ "id": "checks", "title": "Checks v{1}", "items": [
        {2}{2}{2}{2}{{ "id": "smoke-v{1}", "text": "Smoke tests green (v{1})", "owner": "QA Automation Engineer", "due": "-2d" }}
        {2}{2}{2}] }}
        {2}{2}] }},
        {2}{2}{{ "id": "ship", "title": "Ship it v{1}", "kind": "releaseDay", "sections": [
        {2}{2}{2}{{ "id": "deploy", "title": "Deploy v{1}", "items": [
        {2}{2}{2}{2}{{ "id": "deploy-prod", "text": "Deploy to production", "owner": "Engineering Lead", "due": "+30m" }}
        {2}{2}{2}] }}
        {2}{2}] }}
        {2}]
        }}
        """, id, version, indent);
}
