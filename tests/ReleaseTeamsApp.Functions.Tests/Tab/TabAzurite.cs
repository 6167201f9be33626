using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ReleaseTeamsApp.Functions.Tests.Tab;

/// <summary>Azurite's Table service from the repo's npm dev dependency, in memory, on a free loopback port.</summary>
internal sealed class TabAzurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;

    private TabAzurite(Process process, int port)
    {
        _process = process;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    public static async Task<TabAzurite> StartAsync()
    {
        var azurite = Path.Combine(RepositoryRoot(), "node_modules", "azurite", "dist", "src", "table", "main.js");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is missing ({azurite}): run `npm ci` in the repository root.");
        }

        var port = FreePort();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { azurite, "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--inMemoryPersistence", "--skipApiVersionCheck", "--silent", "--disableTelemetry" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite (is node on PATH?).");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new TabAzurite(process, port);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "package.json")) && File.Exists(Path.Combine(directory.FullName, "ReleaseTeamsApp.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (package.json + ReleaseTeamsApp.sln) is not above the test output.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
