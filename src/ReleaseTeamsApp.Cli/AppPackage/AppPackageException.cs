namespace ReleaseTeamsApp.Cli.AppPackage;

/// <summary>Something the person packaging the app must fix; the message says what and where.</summary>
internal sealed class AppPackageException(string message) : Exception(message);
