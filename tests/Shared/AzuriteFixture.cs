using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Testing;

/// <summary>
/// Azurite's Table service for storage tests. Uses the one already listening on 127.0.0.1:10002 (CI starts it
/// before the tests; AZURITE_RUNNING=1 says so explicitly), otherwise starts the repository's own Azurite
/// (npm dev dependency) in memory on a free port and stops it when the tests are done.
/// </summary>
/// <remarks>AZURITE_TABLE_PORT changes the port probed for a running Azurite (default 10002).</remarks>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const int DefaultTablePort = 10002;

    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly List<string> _prefixes = [];
    private readonly Dictionary<Type, IReleaseStore> _stores = [];
    private readonly StringBuilder _output = new();
    private Process? _azurite;
    private string? _workspace;

    public int Port { get; private set; }

    /// <summary>Azurite's Queue service (the work queues and their triggers): 10001 next to a running Azurite, else a free port.</summary>
    public int QueuePort { get; private set; }

    /// <summary>True when this fixture started Azurite itself (and stops it on dispose).</summary>
    public bool StartedAzurite => _azurite is not null;

    /// <summary>An explicit connection string: UseDevelopmentStorage=true only works on the default ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;";

    /// <summary>A table prefix of its own (letters and digits) so test classes never see each other's rows.</summary>
    public string NewTablePrefix()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        lock (_prefixes)
        {
            _prefixes.Add(prefix);
        }

        return prefix;
    }

    /// <summary>The store of one test class: every test of the class shares its table prefix, other classes never see its rows.</summary>
    public IReleaseStore StoreFor(Type testClass)
    {
        lock (_stores)
        {
            if (!_stores.TryGetValue(testClass, out var store))
            {
                store = _stores[testClass] = CreateStore(NewTablePrefix());
            }

            return store;
        }
    }

    /// <summary>The app's tables under <paramref name="tablePrefix"/>, created as the host creates them at startup.</summary>
    /// <param name="clientOptions">Pipeline policies for the returned tables (e.g. one that counts requests); the creation does not go through them.</param>
    public ReleaseTables CreateTables(string tablePrefix, TableClientOptions? clientOptions = null)
    {
        var created = new ReleaseTables(Options.Create(new StorageOptions { ConnectionString = ConnectionString, TablePrefix = tablePrefix }));

        // Test constructors cannot await; the Azure SDK never resumes on the caller's context, so waiting here cannot deadlock.
        StorageCreation.CreateAllAsync([created], CancellationToken.None).GetAwaiter().GetResult();
        return clientOptions is null ? created : new ReleaseTables(Options.Create(new StorageOptions { ConnectionString = ConnectionString, TablePrefix = tablePrefix }), clientOptions);
    }

    public IReleaseStore CreateStore(string tablePrefix) => new TableReleaseStore(CreateTables(tablePrefix));

    public async Task InitializeAsync()
    {
        var probePort = int.TryParse(Environment.GetEnvironmentVariable("AZURITE_TABLE_PORT"), out var configured) ? configured : DefaultTablePort;
        if (Environment.GetEnvironmentVariable("AZURITE_RUNNING") == "1" || await IsListeningAsync(probePort))
        {
            Port = probePort;
            QueuePort = int.TryParse(Environment.GetEnvironmentVariable("AZURITE_QUEUE_PORT"), out var queuePort) ? queuePort : 10001;
            return;
        }

        Port = FreePort();
        QueuePort = FreePort();
        _azurite = StartAzurite(Port, probePort);
        try
        {
            await WaitUntilListeningAsync(_azurite);
        }
        catch
        {
            // xunit does not dispose a fixture whose initialization failed.
            await DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilListeningAsync(Process azurite)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await IsListeningAsync(Port))
        {
            if (azurite.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {azurite.ExitCode} before listening on port {Port}:{Environment.NewLine}{Output()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Azurite did not listen on port {Port} within {StartTimeout.TotalSeconds:0} s:{Environment.NewLine}{Output()}");
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (_azurite is { } azurite)
        {
            // In-memory Azurite: stopping it drops every table.
            if (!azurite.HasExited)
            {
                azurite.Kill(entireProcessTree: true);
                await azurite.WaitForExitAsync();
            }

            azurite.Dispose();
            if (_workspace is not null)
            {
                Directory.Delete(_workspace, recursive: true);
            }

            return;
        }

        // A shared Azurite outlives the tests: remove the tables they created.
        string[] prefixes;
        lock (_prefixes)
        {
            prefixes = [.. _prefixes];
        }

        var service = new TableServiceClient(ConnectionString);
        foreach (var prefix in prefixes)
        {
            await foreach (var table in service.QueryAsync(filter: $"TableName ge '{prefix}' and TableName lt '{prefix}~'"))
            {
                await service.DeleteTableAsync(table.Name);
            }
        }

        // And the work queues of the local hosts (named after the table prefix, lower-cased).
        var queues = new Azure.Storage.Queues.QueueServiceClient(ConnectionString);
        foreach (var prefix in prefixes)
        {
            await foreach (var queue in queues.GetQueuesAsync(prefix: prefix.ToLowerInvariant()))
            {
                await queues.DeleteQueueAsync(queue.Name);
            }
        }
    }

    private Process StartAzurite(int port, int probedPort)
    {
        var root = RepositoryRoot();
        var bin = Path.Combine(root, "node_modules", ".bin");
        // The all-in-one binary serves the Queue service the work-queue tests need, next to Table.
        var executable = new[] { "azurite", "azurite-table" }
            .Select(name => Path.Combine(bin, OperatingSystem.IsWindows() ? name + ".cmd" : name))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"Azurite is not installed ({bin} has neither azurite-table nor azurite) and nothing listens on 127.0.0.1:{probedPort}. Run `npm ci` in {root}, or start Azurite yourself.");

        // In memory, but Azurite may still write its debug/extent files to the working directory: keep them out of the repository.
        var workspace = _workspace = Directory.CreateTempSubdirectory("azurite-tests-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workspace,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--tableHost", "127.0.0.1", "--tablePort", Invariant(port),
            "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry",
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (Path.GetFileNameWithoutExtension(executable) == "azurite")
        {
            // The all-in-one binary also starts Blob and Queue: keep them off the default ports too.
            foreach (var argument in new[] { "--blobPort", Invariant(FreePort()), "--queueHost", "127.0.0.1", "--queuePort", Invariant(QueuePort) })
            {
                start.ArgumentList.Add(argument);
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The folder holding ReleaseTeamsApp.sln (and node_modules), found by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ReleaseTeamsApp.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ReleaseTeamsApp.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Storage tests share one Azurite and run one class at a time: <c>[Collection("Azurite")]</c>.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteTests : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
