using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Teams;

/// <summary>
/// Completes a person mentioned in Teams with their profile from the team roster (email, Entra id), so role holders
/// assigned by @mention can be invited to the retrospective. Mention entities carry only id and name.
/// </summary>
internal sealed class TeamRoster(IConnectorClient connector, ILogger<TeamRoster> logger)
{
    public async Task<Person> CompleteAsync(TurnContext turn, Person person, CancellationToken cancellationToken)
    {
        if (person.Email is not null || !person.HasTeamsId)
        {
            return person;
        }

        try
        {
            // In a channel the roster is the team's; in a chat it is the conversation's.
            var roster = turn.IsChannel ? turn.Channel.TeamId : turn.ConversationId.Split(";messageid=", 2)[0];
            var member = await connector.GetConversationMemberAsync(turn.ServiceUrl, roster, person.Id, cancellationToken);
            return person with
            {
                Name = TextLimits.ClipName(string.IsNullOrWhiteSpace(member.Name) ? person.Name : member.Name),
                AadObjectId = person.AadObjectId ?? member.AadObjectId,
                Email = member.Email ?? member.UserPrincipalName,
            };
        }
        catch (Exception ex) when (ex is ConnectorException or HttpRequestException)
        {
            // The assignment still stands; only the retrospective invite will lack this person's address.
            TeamsLog.ProfileLookupFailed(logger, ex, person.Id);
            return person;
        }
    }

    /// <summary>
    /// The team member with this Entra object id (Teams' roster API accepts it in place of the Teams user id), so the
    /// person gets their Teams id for mentions and card refresh; null when they are not in the team or Teams does not answer.
    /// </summary>
    public async Task<TeamsChannelAccount?> FindByEntraIdAsync(TurnContext turn, string entraObjectId, CancellationToken cancellationToken)
    {
        try
        {
            var roster = turn.IsChannel ? turn.Channel.TeamId : turn.ConversationId.Split(";messageid=", 2)[0];
            return await connector.GetConversationMemberAsync(turn.ServiceUrl, roster, entraObjectId, cancellationToken);
        }
        catch (Exception ex) when (ex is ConnectorException or HttpRequestException)
        {
            TeamsLog.ProfileLookupFailed(logger, ex, entraObjectId);
            return null;
        }
    }
}
