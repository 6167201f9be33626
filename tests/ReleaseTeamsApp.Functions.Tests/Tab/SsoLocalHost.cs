using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Tab;

/// <summary>
/// The local host with Teams SSO on (audience api://…/botid-{client id}) against a fake Entra, over Azurite:
/// what every test of an SSO-protected API (tab, metrics, templates) starts from.
/// </summary>
internal sealed class SsoLocalHost : IAsyncDisposable
{
    public const string ClientId = "8a1f5a9e-7c2b-4d7e-9a43-5b1c2d3e4f60";
    public const string AppIdUri = "api://tab.octoacme.test/botid-" + ClientId;

    private readonly AzuriteFixture _azurite;

    private SsoLocalHost(AzuriteFixture azurite, FakeEntraIdentity entra, TabLocalHost host)
    {
        _azurite = azurite;
        Entra = entra;
        Host = host;
    }

    public FakeEntraIdentity Entra { get; }

    public TabLocalHost Host { get; }

    public static async Task<SsoLocalHost> StartAsync()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        var entra = await FakeEntraIdentity.StartAsync();
        var host = await TabLocalHost.StartAsync(azurite.ConnectionString, azurite.NewTablePrefix(), new Dictionary<string, string?>
        {
            ["Tab:AppIdUri"] = AppIdUri,
            ["Tab:OpenIdMetadataUrl"] = entra.MetadataUrl.ToString(),
        });
        return new SsoLocalHost(azurite, entra, host);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Entra.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
