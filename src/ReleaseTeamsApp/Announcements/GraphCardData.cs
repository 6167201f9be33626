using ReleaseTeamsApp.Checklist;

namespace ReleaseTeamsApp.Announcements;

/// <summary>What template announcement binds: the mail's subject, recipients and text, with Send / Cancel on the preview.</summary>
internal sealed record AnnouncementCardData(
    string Heading,
    bool HasStatus,
    NoticeBanner? Status,
    string Subject,
    string Recipients,
    string Summary,
    string Footer,
    bool CanSend,
    string SendVerb,
    string CancelVerb,
    string Release,
    string Kind);

/// <summary>What template retrospective binds: when the booked meeting is, who is invited and its links.</summary>
internal sealed record RetrospectiveCardData(
    string Title,
    bool Recorded,
    string RecordedText,
    string When,
    string Attendees,
    bool HasNotes,
    string Notes,
    string? JoinUrl,
    bool HasWebLink,
    string? WebLink);
