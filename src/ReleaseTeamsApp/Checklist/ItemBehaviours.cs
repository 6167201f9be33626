using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Checklist;

/// <summary>
/// What a committed change of an item with a declared behaviour also does (e.g. rollback.restore stamps the rollback
/// restored). Implemented by the feature that owns the behaviour and registered in Hosting, so the checklist does not
/// depend on the features above it.
/// </summary>
public interface IItemBehaviour
{
    /// <summary>The template's behaviour value this implements (<see cref="ItemBehaviour"/>).</summary>
    string Behaviour { get; }

    /// <summary>The item change's write plus what the behaviour adds, computed on the state the change is applied to.</summary>
    ItemFollowOn Changed(ReleaseState state, ItemChangeOutcome.Applied applied, DateTimeOffset now);
}

/// <param name="Change">The item change with everything to commit with it.</param>
/// <param name="RollbackDecisionChanged">The rollback decision card shows something new (e.g. the restore time).</param>
public sealed record ItemFollowOn(ReleaseChange Change, bool RollbackDecisionChanged = false)
{
    public static ItemFollowOn Plain(ItemChangeOutcome.Applied applied)
    {
        ArgumentNullException.ThrowIfNull(applied);
        return new(applied.Change);
    }
}

/// <summary>The registered item behaviours, one per value (a duplicate fails at startup), and the behaviour of a release's items.</summary>
public sealed class ItemBehaviours
{
    private readonly Dictionary<string, IItemBehaviour> _byName = new(StringComparer.Ordinal);

    public ItemBehaviours(IEnumerable<IItemBehaviour> behaviours)
    {
        ArgumentNullException.ThrowIfNull(behaviours);
        foreach (var behaviour in behaviours)
        {
            if (!_byName.TryAdd(behaviour.Behaviour, behaviour))
            {
                throw new InvalidOperationException($"Item behaviour '{behaviour.Behaviour}' is implemented twice: {_byName[behaviour.Behaviour].GetType().Name} and {behaviour.GetType().Name}.");
            }
        }
    }

    /// <summary>What to commit for an applied item change: the item and its audit row, plus what its behaviour adds.</summary>
    public ItemFollowOn Changed(ReleaseState state, ItemChangeOutcome.Applied applied, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(applied);
        return Of(state, applied.Item) is { } name && _byName.TryGetValue(name, out var behaviour)
            ? behaviour.Changed(state, applied, now)
            : ItemFollowOn.Plain(applied);
    }

    /// <summary>The item of the release that declares the behaviour, if any.</summary>
    public static ChecklistItem? Find(ReleaseState state, string behaviour)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Items.FirstOrDefault(i => Of(state, i) == behaviour);
    }

    /// <summary>
    /// The item's declared behaviour. Releases stored before items carried one fall back to the built-in template's
    /// declaration for the same item id, when they started from the built-in template.
    /// </summary>
    public static string? Of(ReleaseState state, ChecklistItem item)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(item);
        if (item.Behaviour is not null || state.Release.TemplateId != ChecklistTemplateLoader.Default.Id || state.Items.Any(i => i.Behaviour is not null))
        {
            return item.Behaviour;
        }

        return ChecklistTemplateLoader.Default.Items.FirstOrDefault(e => e.Item.Id == item.Id).Item?.Behaviour;
    }

    /// <summary>The release's on-demand rollback checklist (its phase of kind rollback), if its template has one.</summary>
    public static string? RollbackPhase(ReleaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return ReleaseCards.PhasesOf(state).FirstOrDefault(p => p.Kind == PhaseKind.Rollback)?.Id
            ?? state.Items.FirstOrDefault(i => i.OnDemand)?.PhaseId;
    }
}
