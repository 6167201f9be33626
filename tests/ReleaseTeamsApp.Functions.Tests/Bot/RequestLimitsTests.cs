using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.Bot;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Bot;

/// <summary>Limits that hold before any work: the body cap for bodies without a Content-Length, and the Authorization shape before parsing.</summary>
[Collection("Azurite")]
public sealed class RequestLimitsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private BotPipeline _bot = null!;

    public async Task InitializeAsync() => _bot = await BotPipeline.StartAsync(azurite);

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Messages_ChunkedBodyOverTheCapWithValidToken_Returns413AndNothingHappens()
    {
        var activity = _bot.Activity(TestUser.Alice, "message");
        activity["text"] = "new release 6.6.6 on 2026-12-10 scope " + new string('x', 4 * 1024 * 1024);
        using var request = Request(activity.ToJsonString(), $"Bearer {_bot.Token()}");
        request.Headers.TransferEncodingChunked = true;

        using var response = await _bot.Client.SendAsync(request);

        Assert.Null(request.Content!.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_bot.ConnectorRequests);
        Assert.Null(await _bot.Store.FindIdAsync(new ChannelKey(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId), "6.6.6", CancellationToken.None));
    }

    [Fact]
    public async Task Messages_ChunkedBodyJustUnderTheCap_IsHandled()
    {
        var activity = _bot.Activity(TestUser.Alice, "message");
        activity["text"] = "<at>ReleaseBot</at> help";
        activity["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["text"] = "<at>ReleaseBot</at>", ["mentioned"] = new JsonObject { ["id"] = "28:" + BotProtocol.Tests.Fakes.FakeBotFrameworkIdentity.AppId, ["name"] = "ReleaseBot" } });
        activity["padding"] = "";
        var padding = BotEndpoint.MaxBodyBytes - Encoding.UTF8.GetByteCount(activity.ToJsonString()) - 16;
        activity["padding"] = new string('p', padding);
        using var request = Request(activity.ToJsonString(), $"Bearer {_bot.Token()}");
        request.Headers.TransferEncodingChunked = true;

        using var response = await _bot.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_bot.ConnectorRequests);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-jwt")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer a.b.")]
    [InlineData("Bearer a.b.c extra")]
    public async Task Messages_AuthorizationNotABearerJwt_Returns401BeforeTheBodyIsParsed(string? authorization)
    {
        // Malformed JSON: had the body been parsed first, the answer would be 400.
        using var request = Request("{\"type\": \"message\", \"text\": ", authorization);

        using var response = await _bot.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Messages_WellShapedTokenAndMalformedBody_Returns400()
    {
        using var request = Request("{\"type\": \"message\", \"text\": ", $"Bearer {_bot.Token()}");

        using var response = await _bot.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static HttpRequestMessage Request(string body, string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new ChunkedContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }

    /// <summary>Content of unknown length, sent with Transfer-Encoding: chunked (no Content-Length header).</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 16 * 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(16 * 1024, bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
