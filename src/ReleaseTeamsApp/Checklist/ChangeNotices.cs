using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Checklist;

internal static class ChangeNotices
{
    /// <summary>A change's message as the notice on the card that asked for it: green when applied, red when refused, plain when nothing changed.</summary>
    public static CardNotice Of(ReleaseChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(change.Message, change.Kind switch { ChangeKind.Applied => NoticeStyle.Good, ChangeKind.Refused => NoticeStyle.Attention, _ => NoticeStyle.Default });
    }
}
