namespace ReleaseTeamsApp.Checklist;

/// <summary>A <see cref="CardNotice"/> as card templates show it: its text and the container style's name.</summary>
internal sealed record NoticeBanner(string Text, string Style)
{
    public static NoticeBanner? Of(CardNotice? notice) => notice is null ? null : new(notice.Text, ReleaseCards.StyleName(notice.Style));
}
