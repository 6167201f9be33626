using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ReleaseTeamsApp.CardTemplating.Tests.Differential;

/// <summary>Random templates expanded by this engine and by the reference JS engine must agree.</summary>
public sealed class DifferentialTests
{
    private const int Seed = 20261210;
    private const int CaseCount = 400;

    [Fact]
    public void Expand_RandomTemplates_MatchReferenceEngine()
    {
        var generator = new TemplateGenerator(Seed);
        var cases = Enumerable.Range(0, CaseCount).Select(_ => (generator.Template(), generator.Data())).ToList();

        var reference = ReferenceEngine.ExpandAll(cases);

        var compared = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            if (reference[i].Threw)
            {
                continue;
            }

            compared++;
            if (!Agrees(cases[i].Item1, cases[i].Item2, reference[i].Output))
            {
                var (template, data) = Shrink(cases[i].Item1, cases[i].Item2);
                var expected = ReferenceEngine.ExpandAll([(template, data)])[0].Output;
                Assert.Fail($"seed {Seed}, case {i} differs from the reference. Smallest differing case:\n"
                    + $"template: {template.ToJsonString()}\ndata: {data.ToJsonString()}\n"
                    + $"reference: {expected?.ToJsonString()}\nengine:    {Expand(template, data)?.ToJsonString()}");
            }
        }

        // Cases where the reference throws are not comparable; most must be.
        Assert.True(compared >= CaseCount * 3 / 4, $"seed {Seed}: only {compared} of {CaseCount} cases were comparable");
    }

    private static JsonNode? Expand(JsonNode template, JsonNode data) => new Template(template.DeepClone()).ExpandToNode(data.DeepClone());

    private static bool Agrees(JsonNode template, JsonNode data, JsonNode? expected)
    {
        try
        {
            return JsonNode.DeepEquals(expected, Expand(template, data));
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidCastException or ArgumentException)
        {
            return false;
        }
    }

    // Greedy shrinking: keep taking the first one-step-smaller template that still disagrees.
    private static (JsonNode Template, JsonNode Data) Shrink(JsonNode template, JsonNode data)
    {
        while (true)
        {
            var candidates = TemplateGenerator.Reductions(template).Select(t => (t, data)).ToList();
            if (candidates.Count == 0)
            {
                return (template, data);
            }

            var reference = ReferenceEngine.ExpandAll(candidates);
            var next = candidates.Where((c, i) => !reference[i].Threw && !Agrees(c.t, c.data, reference[i].Output)).Select(c => c.t).FirstOrDefault();
            if (next is null)
            {
                return (template, data);
            }

            template = next;
        }
    }
}

internal static class ReferenceEngine
{
    public sealed record Result(bool Threw, JsonNode? Output);

    public static List<Result> ExpandAll(IReadOnlyList<(JsonNode Template, JsonNode Data)> cases) =>
        ExpandAllText(cases.Select(c => (c.Template.ToJsonString(), c.Data.ToJsonString())).ToList()).Select(r => new Result(r.Threw, r.Output is null ? null : JsonNode.Parse(r.Output))).ToList();

    /// <summary>Expands JSON texts exactly as written (repeated keys, lone surrogates…) and returns what JSON.stringify wrote, or Threw.</summary>
    public static List<(bool Threw, string? Output)> ExpandAllText(IReadOnlyList<(string Template, string Data)> cases)
    {
        var root = RepositoryPaths.RepositoryRoot();
        var nodeModules = Path.Combine(root, "node_modules");
        if (!Directory.Exists(Path.Combine(nodeModules, "adaptivecards-templating")))
        {
            throw new InvalidOperationException($"The reference engine is missing from {nodeModules}: run `npm ci` in {root}.");
        }

        var dir = Directory.CreateTempSubdirectory("templating-diff-");
        try
        {
            for (var i = 0; i < cases.Count; i++)
            {
                File.WriteAllText(Path.Combine(dir.FullName, $"c{i}.template.json"), cases[i].Template);
                File.WriteAllText(Path.Combine(dir.FullName, $"c{i}.data.json"), cases[i].Data);
            }

            var script = Path.Combine(AppContext.BaseDirectory, "Differential", "expand-reference.js");
            using var process = Process.Start(new ProcessStartInfo("node", [script, nodeModules, dir.FullName]) { RedirectStandardError = true })
                ?? throw new InvalidOperationException("node did not start");
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"node exited with {process.ExitCode}: {stderr}");
            }

            return Enumerable.Range(0, cases.Count).Select(i =>
            {
                var output = Path.Combine(dir.FullName, $"c{i}.expected.json");
                return File.Exists(output) ? (false, File.ReadAllText(output)) : (true, (string?)null);
            }).ToList();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
