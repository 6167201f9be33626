using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;

namespace ReleaseTeamsApp.BotProtocol.Tests.Connector;

public sealed class ConnectorClientTests : IAsyncLifetime, IDisposable
{
    private const string ThreadId = "19:abc@thread.tacv2;messageid=1700000000000";
    private FakeHttpServer _connector = null!;
    private readonly HttpClient _httpClient = new();

    public async Task InitializeAsync()
    {
        _connector = await FakeHttpServer.StartAsync((context, _) => FakeHttpServer.WriteJsonAsync(context, 201, """{"id":"1700000000001"}"""));
    }

    public async Task DisposeAsync() => await _connector.DisposeAsync();

    public void Dispose() => _httpClient.Dispose();

    private string ServiceUrl => _connector.BaseAddress + "teams/";

    [Fact]
    public async Task SendToConversationAsync_ThreadId_PostsEscapedUrlBearerAndCamelCaseBody()
    {
        var client = CreateClient();

        var response = await client.SendToConversationAsync(ServiceUrl, ThreadId, Activity.CreateMessage("Release 1.2 is **live**", TextFormatTypes.Markdown), CancellationToken.None);

        var request = Assert.Single(_connector.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/teams/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1700000000000/activities", request.RawTarget);
        Assert.Equal("Bearer test-token", request.Authorization);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal("""{"type":"message","text":"Release 1.2 is **live**","textFormat":"markdown"}""", request.Body);
        Assert.Equal("1700000000001", response.Id);
    }

    [Fact]
    public async Task ReplyToActivityAsync_ReplyToId_PostsToActivityUrlWithReplyToIdInBody()
    {
        var client = CreateClient();

        await client.ReplyToActivityAsync(ServiceUrl, "a:1Xy/z+", "f:abc/1", Activity.CreateMessage("done"), CancellationToken.None);

        var request = Assert.Single(_connector.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/teams/v3/conversations/a%3A1Xy%2Fz%2B/activities/f%3Aabc%2F1", request.RawTarget);
        Assert.Equal("""{"type":"message","text":"done","textFormat":"plain","replyToId":"f:abc/1"}""", request.Body);
    }

    [Fact]
    public async Task ReplyToActivityAsync_ConversationReference_UsesReferenceServiceUrlConversationAndActivity()
    {
        var client = CreateClient();
        var reference = new ConversationReference
        {
            ServiceUrl = ServiceUrl,
            Conversation = new ConversationAccount { Id = ThreadId },
            ActivityId = "1700000000000",
        };

        await client.ReplyToActivityAsync(reference, Activity.CreateMessage("ok"), CancellationToken.None);

        var request = Assert.Single(_connector.Requests);
        Assert.Equal("/teams/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1700000000000/activities/1700000000000", request.RawTarget);
    }

    [Fact]
    public async Task CreateConversationAsync_ChannelThread_PostsTeamsBodyAndReturnsThreadId()
    {
        _connector.Handler = (context, _) => FakeHttpServer.WriteJsonAsync(context, 201, """{"id":"19:chan@thread.tacv2;messageid=42","activityId":"42"}""");
        var client = CreateClient();
        var parameters = ConversationParameters.ForChannelThread("19:chan@thread.tacv2", "tenant-1", Activity.CreateMessage("Release train 7"), new ChannelAccount("28:bot-app-id", "Release Bot"));

        var response = await client.CreateConversationAsync(ServiceUrl, parameters, CancellationToken.None);

        var request = Assert.Single(_connector.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/teams/v3/conversations", request.RawTarget);
        Assert.Equal(
            """{"isGroup":true,"bot":{"id":"28:bot-app-id","name":"Release Bot"},"tenantId":"tenant-1","activity":{"type":"message","text":"Release train 7","textFormat":"plain"},"channelData":{"tenant":{"id":"tenant-1"},"channel":{"id":"19:chan@thread.tacv2"}}}""",
            request.Body);
        Assert.Equal("19:chan@thread.tacv2;messageid=42", response.Id);
        Assert.Equal("42", response.ActivityId);
    }

    [Fact]
    public async Task UpdateActivityAsync_Card_PutsFullActivityWithId()
    {
        _connector.Handler = (context, _) => FakeHttpServer.WriteJsonAsync(context, 200, """{"id":"m1"}""");
        var client = CreateClient();
        var card = new Dictionary<string, object> { ["type"] = "AdaptiveCard", ["version"] = "1.5" };

        var response = await client.UpdateActivityAsync(ServiceUrl, ThreadId, "m1", Activity.CreateCardMessage(card), CancellationToken.None);

        var request = Assert.Single(_connector.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/teams/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1700000000000/activities/m1", request.RawTarget);
        Assert.Equal(
            """{"type":"message","id":"m1","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.5"}}]}""",
            request.Body);
        Assert.Equal("m1", response.Id);
    }

    [Fact]
    public async Task DeleteActivityAsync_EmptyResponse_SendsDeleteWithoutBody()
    {
        _connector.Handler = (context, _) =>
        {
            context.Response.StatusCode = 200;
            return Task.CompletedTask;
        };
        var client = CreateClient();

        await client.DeleteActivityAsync(ServiceUrl, ThreadId, "m1", CancellationToken.None);

        var request = Assert.Single(_connector.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("/teams/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1700000000000/activities/m1", request.RawTarget);
        Assert.Equal("Bearer test-token", request.Authorization);
        Assert.Equal(string.Empty, request.Body);
    }

    [Fact]
    public async Task SendToConversationAsync_AnonymousTokenProvider_SendsNoAuthorizationHeader()
    {
        var client = CreateClient(tokenProvider: new AnonymousBotTokenProvider());

        await client.SendToConversationAsync(ServiceUrl, "a:1", Activity.CreateMessage("hi"), CancellationToken.None);

        Assert.Null(Assert.Single(_connector.Requests).Authorization);
    }

    [Fact]
    public async Task SendToConversationAsync_ThrottledWithRetryAfter_WaitsThenSucceeds()
    {
        var calls = 0;
        _connector.Handler = (context, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.Headers.RetryAfter = "1";
                return FakeHttpServer.WriteJsonAsync(context, 429, """{"error":{"code":"Throttled","message":"slow down"}}""");
            }

            return FakeHttpServer.WriteJsonAsync(context, 201, """{"id":"after-throttle"}""");
        };
        var client = CreateClient();
        var stopwatch = Stopwatch.StartNew();

        var response = await client.SendToConversationAsync(ServiceUrl, "a:1", Activity.CreateMessage("hi"), CancellationToken.None);

        Assert.Equal("after-throttle", response.Id);
        Assert.Equal(2, _connector.Requests.Count);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(950), $"retried after {stopwatch.Elapsed}, before Retry-After");
    }

    [Theory]
    [InlineData(503)]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(412)]
    public async Task SendToConversationAsync_TransientStatus_RetriesAndSucceeds(int status)
    {
        var calls = 0;
        _connector.Handler = (context, _) => Interlocked.Increment(ref calls) < 3
            ? FakeHttpServer.WriteJsonAsync(context, status, "{}")
            : FakeHttpServer.WriteJsonAsync(context, 201, """{"id":"third-time"}""");
        var client = CreateClient();

        var response = await client.SendToConversationAsync(ServiceUrl, "a:1", Activity.CreateMessage("hi"), CancellationToken.None);

        Assert.Equal("third-time", response.Id);
        Assert.Equal(3, _connector.Requests.Count);
        Assert.All(_connector.Requests, r => Assert.Equal(_connector.Requests.First().Body, r.Body));
    }

    [Fact]
    public async Task SendToConversationAsync_AlwaysUnavailable_StopsAfterMaxAttempts()
    {
        _connector.Handler = (context, _) =>
        {
            context.Response.Headers["X-Correlating-OperationId"] = "op-503";
            return FakeHttpServer.WriteJsonAsync(context, 503, "<html>Service Unavailable</html>");
        };
        var client = CreateClient();

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => client.SendToConversationAsync(ServiceUrl, "a:1", Activity.CreateMessage("hi"), CancellationToken.None));

        Assert.Equal(4, _connector.Requests.Count);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Null(ex.ErrorCode);
        Assert.Equal("op-503", ex.CorrelationId);
    }

    [Fact]
    public async Task SendToConversationAsync_RetryAfterBeyondTotalDelayCap_FailsWithoutWaiting()
    {
        _connector.Handler = (context, _) =>
        {
            context.Response.Headers.RetryAfter = "3600";
            return FakeHttpServer.WriteJsonAsync(context, 429, """{"error":{"code":"Throttled","message":"slow down"}}""");
        };
        var client = CreateClient();

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => client.SendToConversationAsync(ServiceUrl, "a:1", Activity.CreateMessage("hi"), CancellationToken.None));

        Assert.Single(_connector.Requests);
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal(ConnectorErrorCodes.Throttled, ex.ErrorCode);
    }

    [Theory]
    [InlineData(403, ConnectorErrorCodes.BotNotInConversationRoster)]
    [InlineData(403, ConnectorErrorCodes.ConversationBlockedByUser)]
    [InlineData(403, ConnectorErrorCodes.BotDisabledByAdmin)]
    [InlineData(401, ConnectorErrorCodes.BotNotRegistered)]
    [InlineData(404, ConnectorErrorCodes.ConversationNotFound)]
    [InlineData(413, ConnectorErrorCodes.MessageSizeTooBig)]
    public async Task SendToConversationAsync_TeamsError_ThrowsConnectorExceptionWithCodeAndCorrelation(int status, string code)
    {
        _connector.Handler = (context, _) =>
        {
            context.Response.Headers["X-Correlating-OperationId"] = "op-123";
            return FakeHttpServer.WriteJsonAsync(context, status, $$$"""{"error":{"code":"{{{code}}}","message":"Teams says no"}}""");
        };
        var client = CreateClient();

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => client.SendToConversationAsync(ServiceUrl, "a:1", Activity.CreateMessage("hi"), CancellationToken.None));

        Assert.Single(_connector.Requests);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal("op-123", ex.CorrelationId);
        Assert.Contains("Teams says no", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendToConversationAsync_RelativeServiceUrl_ThrowsArgumentException()
    {
        var client = CreateClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendToConversationAsync("teams/", "a:1", Activity.CreateMessage("hi"), CancellationToken.None));

        Assert.Empty(_connector.Requests);
    }

    private ConnectorClient CreateClient(IBotTokenProvider? tokenProvider = null)
    {
        var options = new ConnectorClientOptions { BaseRetryDelay = TimeSpan.FromMilliseconds(10), MaxRetryDelay = TimeSpan.FromMilliseconds(100) };
        return new ConnectorClient(_httpClient, tokenProvider ?? new StaticTokenProvider("test-token"), Options.Create(options), TimeProvider.System, NullLogger<ConnectorClient>.Instance, new ConnectorPacer(Options.Create(new ConnectorPacingOptions()), TimeProvider.System));
    }

    private sealed class StaticTokenProvider(string token) : IBotTokenProvider
    {
        public Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(token);
    }
}
