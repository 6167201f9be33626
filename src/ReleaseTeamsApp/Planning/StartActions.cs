using System.Text.Json;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Planning;

/// <summary>
/// The buttons of the welcome and help cards and the new-release form: actions that belong to no release yet. An
/// Action.Execute is answered with the next card for the person who clicked; an Action.Submit (clients without
/// Universal Actions) with that card as a reply.
/// </summary>
internal sealed class StartActions(ReleaseCreation creation, StartCards startCards, ReleaseCards releaseCards, TemplateLibrary templates, IReleaseStore store, ReleaseThreadPublisher publisher) : BotOperation
{
    public override IReadOnlyCollection<string> Verbs => [StartCards.VerbHelp, StartCards.VerbNewReleaseForm, StartCards.VerbCreateRelease, StartCards.VerbMyItems];

    public override bool CardsWithoutRelease => true;

    public override async Task<AdaptiveCardInvokeResponse> HandleVerbAsync(TurnContext turn, CardActionData data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(data);
        return AdaptiveCardInvokeResponse.Card(await AnswerAsync(turn, data.Verb!, Read(turn.Activity.GetValue<AdaptiveCardInvokeValue>()?.Action?.Data), cancellationToken));
    }

    public override async Task HandleSubmitAsync(TurnContext turn, string verb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var card = await AnswerAsync(turn, verb, Read(turn.Activity.Value), cancellationToken);
        await publisher.ReplyAsync(turn, Activity.CreateCardMessage(card), cancellationToken);
    }

    private async Task<JsonObject> AnswerAsync(TurnContext turn, string verb, FormData data, CancellationToken cancellationToken)
    {
        switch (verb)
        {
            case StartCards.VerbHelp:
                return StartCards.Help(AppManifest.ShortName, Router.Help);
            case StartCards.VerbMyItems:
                return releaseCards.MyItems(turn.Actor, await store.ActiveInChannelAsync(turn.Channel, cancellationToken));
            case StartCards.VerbNewReleaseForm:
                return await FormAsync(turn, null, null, cancellationToken);
        }

        var values = new NewReleaseFormValues(data.Version, data.Date, data.WindowFrom, data.WindowTo, data.TimeZone, data.Template, data.Scope);

        // The same rules as the typed command, in the same code: a refused form comes back with the reason and the values.
        switch (NewReleaseCommand.From(data.Version ?? "", data.Date ?? "", data.WindowFrom, data.WindowTo, data.TimeZone, data.Template, data.Scope))
        {
            case BotCommand.Invalid invalid:
                return await FormAsync(turn, values, invalid.Problem, cancellationToken);
            case NewRelease command:
                var created = await creation.CreateAsync(turn, command, cancellationToken);
                return created.Release is { } release
                    ? StartCards.Created(AppManifest.ShortName, release)
                    : await FormAsync(turn, values, created.Error, cancellationToken);
            default:
                return await FormAsync(turn, values, null, cancellationToken);
        }
    }

    private async Task<JsonObject> FormAsync(TurnContext turn, NewReleaseFormValues? values, string? problem, CancellationToken cancellationToken) =>
        startCards.NewReleaseForm(
            await templates.ListAsync(turn.Channel.TenantId, turn.Channel.TeamId, cancellationToken),
            values,
            ReleaseCreation.ClientTimeZone(turn.Activity),
            problem is null ? null : new CardNotice(problem, NoticeStyle.Attention));

    private static FormData Read(object? value)
    {
        try
        {
            return BotJson.ConvertTo<FormData>(value) ?? FormData.Empty;
        }
        catch (JsonException)
        {
            return FormData.Empty;
        }
    }

    /// <summary>The form's inputs as Teams merges them into the action's data (every value a string).</summary>
    private sealed record FormData(string? Verb, string? Version, string? Date, string? WindowFrom, string? WindowTo, string? TimeZone, string? Template, string? Scope)
    {
        public static FormData Empty { get; } = new(null, null, null, null, null, null, null, null);
    }
}
