using System.Diagnostics;
using System.Net.Sockets;

namespace ReleaseTeamsApp.Benchmarks.Infrastructure;

/// <summary>Uses the Azurite listening on 127.0.0.1:10002, or starts the repository's own (scripts/azurite.sh, in memory) for the run.</summary>
internal sealed class Azurite : IDisposable
{
    private readonly Process? _started;

    private Azurite(Process? started) => _started = started;

    public static string ConnectionString => "UseDevelopmentStorage=true";

    public static Azurite Ensure(string repositoryRoot)
    {
        if (Listening())
        {
            return new Azurite(null);
        }

        var start = Process.Start(new ProcessStartInfo("bash", [Path.Combine(repositoryRoot, "scripts", "azurite.sh"), "--in-memory"])
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("Could not run scripts/azurite.sh.");
        var pid = start.StandardOutput.ReadToEnd().Trim();
        start.WaitForExit();
        if (start.ExitCode != 0 || !int.TryParse(pid, out var id))
        {
            throw new InvalidOperationException("Azurite did not start: run 'npm ci' first (see .azurite.log).");
        }

        return new Azurite(Process.GetProcessById(id));
    }

    public void Dispose()
    {
        _started?.Kill(entireProcessTree: true);
        _started?.Dispose();
    }

    private static bool Listening()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", 10002);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
