using System.Security.Cryptography;
using System.Text;

namespace ReleaseTeamsApp.Signals;

/// <summary>A secret a sender repeats in its request (a webhook URL's token, a basic-authentication password).</summary>
internal static class SharedSecret
{
    /// <summary>
    /// True when <paramref name="given"/> is the configured <paramref name="secret"/>, never when none is configured. Both are
    /// hashed first, so the constant-time comparison takes as long whatever the length of what was sent.
    /// </summary>
    public static bool Matches(string? given, string? secret) =>
        !string.IsNullOrEmpty(secret) && given is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
