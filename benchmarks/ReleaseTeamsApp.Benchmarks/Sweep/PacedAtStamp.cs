using System.Globalization;
using ReleaseTeamsApp.LocalHost;

namespace ReleaseTeamsApp.Benchmarks.Sweep;

/// <summary>
/// Stamps each connector request with the moment it enters the HTTP pipeline, right after the pacer let it go, so the
/// Teams stand-in can tell how long it took to arrive.
/// </summary>
internal sealed class PacedAtStamp : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation(LimitedTeamsConnector.ReleasedHeader, DateTimeOffset.UtcNow.UtcTicks.ToString(CultureInfo.InvariantCulture));
        return base.SendAsync(request, cancellationToken);
    }
}
