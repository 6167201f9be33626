using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Checklist;

namespace ReleaseTeamsApp.Planning;

/// <summary>What template start binds: the welcome, help or "release created" message and the buttons to go on.</summary>
internal sealed record StartCardData(string Title, string Message, bool HasCommands, string? Commands, bool HasNotice, NoticeBanner? Notice, IReadOnlyList<CardButton> Buttons);

/// <summary>What template new-release-form binds: the fields as typed (or their defaults), the offered zones and templates, and the limits the form checks.</summary>
internal sealed record NewReleaseFormData(
    bool HasNotice,
    NoticeBanner? Notice,
    string Version,
    string Date,
    string MinDate,
    string WindowFrom,
    string WindowTo,
    string TimeZone,
    IReadOnlyList<CardChoice> Zones,
    string Template,
    bool HasMoreTemplates,
    string MoreTemplates,
    IReadOnlyList<CardChoice> Templates,
    string Scope,
    string VersionRegex,
    int VersionMax,
    int ScopeMax);
