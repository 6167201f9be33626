using System.Reflection;
using NetArchTest.Rules;
using ReleaseTeamsApp.Hosting;

namespace ReleaseTeamsApp.Tests.Architecture;

/// <summary>
/// The app's folders, read from its compiled code: each folder may use only the folders below it in <see cref="Map"/>,
/// so dependencies point one way (the bot → features → adapters → the release model) and a newcomer can trust the map.
/// </summary>
public sealed class FolderDependencyTests
{
    /// <summary>Bottom first. A folder may depend on any folder listed before it, never on one after it.</summary>
    private static readonly string[] Map =
    [
        // the release model: releases, items, roles, the template format
        "Releases",
        // adapters and glue: tables, card templates, Teams conversations, Microsoft Graph
        "Storage", "Cards", "Teams", "Graph",
        // what people do
        "Templates", "Checklist", "Planning", "Retrospective", "Announcements", "Outbox", "Metrics", "Closing", "Tab",
        "ReleaseDay", "Reminders", "FollowUps", "Signals", "Housekeeping",
        // the bot's one router, then the composition root
        "Bot", "Hosting",
    ];

    private static readonly Assembly App = typeof(ReleaseTeamsAppServices).Assembly;

    [Fact]
    public void Folders_AllOnTheMap()
    {
        var folders = FoldersOf(App);

        var unmapped = folders.Except(Map).ToList();

        Assert.True(unmapped.Count == 0, $"Folders missing from the dependency map: {string.Join(", ", unmapped)}. Add each where it belongs in {nameof(Map)}.");
    }

    [Fact]
    public void Folders_DependOnlyOnFoldersBelowThem()
    {
        var edges = Dependencies(App);

        var upward = edges
            .Where(e => Array.IndexOf(Map, e.From) <= Array.IndexOf(Map, e.To))
            .Select(e => $"{e.From} → {e.To} ({string.Join(", ", e.Types.Take(4))})")
            .ToList();

        Assert.True(upward.Count == 0, "These folders use a folder above them on the map:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void FeatureFolders_HaveNoDependencyCycle()
    {
        var edges = Dependencies(App).Where(e => e.From != "Hosting" && e.To != "Hosting").ToList();

        var cycles = Cycles(FoldersOf(App), edges);

        Assert.True(cycles.Count == 0, "Folders that depend on each other in a cycle: " + string.Join("; ", cycles.Select(c => string.Join(" ⇄ ", c))));
    }

    [Fact]
    public void AppFolders_DoNotUseTheCompositionRoot()
    {
        var result = Types.InAssembly(App)
            .That().DoNotResideInNamespace("ReleaseTeamsApp.Hosting")
            .ShouldNot().HaveDependencyOn("ReleaseTeamsApp.Hosting")
            .GetResult();

        Assert.True(result.IsSuccessful, "Types that reach back into Hosting: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    private static List<string> FoldersOf(Assembly assembly) =>
        assembly.GetTypes()
            .Select(t => t.Namespace)
            .OfType<string>()
            .Where(n => n.StartsWith("ReleaseTeamsApp.", StringComparison.Ordinal))
            .Select(n => n.Split('.')[1])
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static List<(string From, string To, IReadOnlyList<string> Types)> Dependencies(Assembly assembly)
    {
        var folders = FoldersOf(assembly);
        var edges = new List<(string, string, IReadOnlyList<string>)>();
        foreach (var from in folders)
        {
            foreach (var to in folders.Where(f => f != from))
            {
                var result = Types.InAssembly(assembly)
                    .That().ResideInNamespace($"ReleaseTeamsApp.{from}")
                    .ShouldNot().HaveDependencyOn($"ReleaseTeamsApp.{to}")
                    .GetResult();
                if (!result.IsSuccessful)
                {
                    edges.Add((from, to, result.FailingTypeNames.Select(n => n.Split('.')[^1]).Distinct().ToList()));
                }
            }
        }

        return edges;
    }

    /// <summary>The strongly connected groups of more than one folder (Tarjan).</summary>
    private static List<List<string>> Cycles(IReadOnlyList<string> folders, IReadOnlyList<(string From, string To, IReadOnlyList<string> Types)> edges)
    {
        var next = folders.ToDictionary(f => f, f => edges.Where(e => e.From == f).Select(e => e.To).ToList());
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var cycles = new List<List<string>>();

        void Visit(string folder)
        {
            index[folder] = low[folder] = index.Count;
            stack.Push(folder);
            foreach (var to in next[folder])
            {
                if (!index.ContainsKey(to))
                {
                    Visit(to);
                    low[folder] = Math.Min(low[folder], low[to]);
                }
                else if (stack.Contains(to) && index.TryGetValue(to, out var seen))
                {
                    low[folder] = Math.Min(low[folder], seen);
                }
            }

            if (low[folder] == index[folder])
            {
                var group = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    group.Add(member);
                }
                while (member != folder);
                if (group.Count > 1)
                {
                    cycles.Add(group.Order(StringComparer.Ordinal).ToList());
                }
            }
        }

        foreach (var folder in folders.Where(f => !index.ContainsKey(f)))
        {
            Visit(folder);
        }

        return cycles;
    }
}
