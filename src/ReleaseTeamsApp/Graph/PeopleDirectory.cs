namespace ReleaseTeamsApp.Graph;

/// <summary>
/// Turns a UPN or email into a directory user (id, name, mail). A read, so it goes straight to Graph, not through the outbox.
/// In Recording mode every address resolves to a deterministic fake person (local runs only).
/// </summary>
internal sealed class PeopleDirectory(IGraphGateway gateway)
{
    public async Task<PersonLookup> ResolveAsync(string emailOrUpn, CancellationToken cancellationToken)
    {
        var address = emailOrUpn?.Trim().Trim('<', '>') ?? "";
        if (address.Length == 0 || address.Count(c => c == '@') != 1 || address.StartsWith('@') || address.EndsWith('@') || address.Any(char.IsWhiteSpace))
        {
            return new UnknownAddress(address, $"\"{address}\" is not an email address or sign-in name. Write it like jane.doe@contoso.com.");
        }

        return await gateway.ResolvePersonAsync(address, cancellationToken);
    }

    /// <summary>An Entra object id (what Teams' people picker submits) as a directory user: GET /users/{id}.</summary>
    public async Task<PersonLookup> ResolveIdAsync(string entraObjectId, CancellationToken cancellationToken)
    {
        var id = entraObjectId?.Trim() ?? "";
        if (!Guid.TryParse(id, out var parsed))
        {
            return new UnknownAddress(id, $"\"{(id.Length > 40 ? id[..40] + "…" : id)}\" is not a person from the people picker. Pick the person again in the picker.");
        }

        return await gateway.ResolvePersonAsync(parsed.ToString(), cancellationToken) switch
        {
            UnknownAddress => new UnknownAddress(id, $"Nobody in your organization has the id {id} any more. Pick the person again in the picker."),
            var found => found,
        };
    }
}
