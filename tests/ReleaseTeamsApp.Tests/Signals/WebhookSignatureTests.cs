using System.Text;
using ReleaseTeamsApp.Signals;

namespace ReleaseTeamsApp.Tests.Signals;

public sealed class WebhookSignatureTests
{
    // GitHub's documented example: "Validating webhook deliveries" (secret, payload and the signature GitHub sends).
    private const string Secret = "It's a Secret to Everybody";
    private const string Expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Hello, World!");

    [Fact]
    public void Sign_GitHubsDocumentedExample_GivesItsSignature()
    {
        Assert.Equal(Expected, WebhookSignature.Sign(Secret, Body));
    }

    [Fact]
    public void IsValid_GitHubsDocumentedExample_Accepts()
    {
        Assert.True(WebhookSignature.IsValid(Secret, Expected, Body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18")]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public void IsValid_WrongOrMalformedSignature_Refuses(string? header)
    {
        Assert.False(WebhookSignature.IsValid(Secret, header, Body));
    }

    [Fact]
    public void IsValid_BodyChangedByOneByte_Refuses()
    {
        Assert.False(WebhookSignature.IsValid(Secret, Expected, Encoding.UTF8.GetBytes("Hello, World?")));
    }

    [Fact]
    public void IsValid_NoSecretConfigured_RefusesEvenAnEmptySignatureOfAnEmptyBody()
    {
        Assert.False(WebhookSignature.IsValid("", WebhookSignature.Sign("", []), []));
    }
}
