using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Hosting;
using ReleaseTeamsApp.Tab;

namespace ReleaseTeamsApp.Tests.Tab;

public sealed class TabOptionsTests
{
    private static TabOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddReleaseTab(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<TabOptions>>().Value;
    }

    [Theory]
    [InlineData("MicrosoftAppId", "6f1c2a4e-0000-4000-8000-00000000b07a", "MicrosoftAppId")]
    [InlineData("Tab:AppIdUri", "api://tab.octoacme.test/botid-6f1c2a4e-0000-4000-8000-00000000b07a", "Tab:AppIdUri")]
    public void AddReleaseTab_BypassWithAnAppIdConfigured_FailsNamingTheSettings(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { ["Tab:AllowDevelopmentBypass"] = "true", [key] = value };

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(settings));

        Assert.Contains("Tab:AllowDevelopmentBypass", error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddReleaseTab_BypassWithoutAnyAppId_IsAllowed()
    {
        var options = Resolve(new() { ["Tab:AllowDevelopmentBypass"] = "true", ["MicrosoftAppId"] = "" });

        Assert.True(options.AllowDevelopmentBypass);
        Assert.Equal(new Uri(TabOptions.DefaultOpenIdMetadataUrl), options.OpenIdMetadataUrl);
    }

    [Fact]
    public void AddReleaseTab_PlainHttpMetadataOffLoopback_Fails()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Tab:OpenIdMetadataUrl"] = "http://login.example.com/.well-known/openid-configuration" }));

        Assert.Contains("Tab:OpenIdMetadataUrl", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api://host/botid-6f1c2a4e-0000-4000-8000-00000000b07a", new[] { "api://host/botid-6f1c2a4e-0000-4000-8000-00000000b07a", "6f1c2a4e-0000-4000-8000-00000000b07a" })]
    [InlineData("api://6f1c2a4e-0000-4000-8000-00000000b07a", new[] { "api://6f1c2a4e-0000-4000-8000-00000000b07a", "6f1c2a4e-0000-4000-8000-00000000b07a" })]
    [InlineData("api://host/release-tab", new[] { "api://host/release-tab" })]
    [InlineData("", new string[0])]
    public void Audiences_AppIdUri_AcceptsUriAndItsClientId(string appIdUri, string[] expected)
    {
        var audiences = new TabOptions { AppIdUri = appIdUri }.Audiences();

        Assert.Equal(expected, audiences);
    }
}
