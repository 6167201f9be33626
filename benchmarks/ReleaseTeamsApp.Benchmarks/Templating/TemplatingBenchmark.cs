using System.Diagnostics;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.CardTemplating;

namespace ReleaseTeamsApp.Benchmarks.Templating;

/// <summary>Expansions per second of the conformance corpus: this engine against the reference JS engine.</summary>
internal static class TemplatingBenchmark
{
    private const int TimedMilliseconds = 3000;

    public static int Run()
    {
        var root = RepositoryRoot();
        var corpus = Path.Combine(root, "tests", "ReleaseTeamsApp.CardTemplating.Tests", "Conformance", "templating");
        var cases = Directory.GetFiles(corpus, "*.template.json")
            .Select(f => (Template: new Template(File.ReadAllText(f)), Data: JsonNode.Parse(File.ReadAllText(f.Replace(".template.json", ".data.json", StringComparison.Ordinal)))))
            .ToArray();

        for (var i = 0; i < 200; i++)
        {
            ExpandAll(cases);
        }

        var expansions = 0L;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.ElapsedMilliseconds < TimedMilliseconds)
        {
            ExpandAll(cases);
            expansions += cases.Length;
        }

        var csharpRate = expansions / stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"C# engine:        {csharpRate,12:N0} expansions/s ({cases.Length} corpus cases, {expansions:N0} expansions)");

        var jsRate = ReferenceRate(root, corpus);
        if (jsRate is null)
        {
            return 1;
        }

        Console.WriteLine($"reference JS:     {jsRate,12:N0} expansions/s");
        Console.WriteLine($"ratio C#/JS:      {csharpRate / jsRate,12:N2}x (goal >= 2x)");
        return 0;
    }

    private static void ExpandAll((Template Template, JsonNode? Data)[] cases)
    {
        foreach (var (template, data) in cases)
        {
            _ = template.ExpandToNode(data);
        }
    }

    private static double? ReferenceRate(string root, string corpus)
    {
        var nodeModules = Path.Combine(root, "node_modules");
        if (!Directory.Exists(Path.Combine(nodeModules, "adaptivecards-templating")))
        {
            Console.Error.WriteLine($"reference engine missing: run `npm ci` in {root}");
            return null;
        }

        var script = Path.Combine(root, "benchmarks", "ReleaseTeamsApp.Benchmarks", "Templating", "bench-reference.js");
        using var process = Process.Start(new ProcessStartInfo("node", [script, nodeModules, corpus, TimedMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("node did not start");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var result = JsonNode.Parse(output)!;
        return result["expansions"]!.GetValue<double>() / result["seconds"]!.GetValue<double>();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReleaseTeamsApp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ReleaseTeamsApp.sln not found");
    }
}
