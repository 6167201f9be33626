using System.Text.RegularExpressions;

namespace ReleaseTeamsApp.Tab;

/// <summary>A static file of the tab (page, script, style, or a browser library copied from npm at build time).</summary>
public sealed record TabFile(string Path, string ContentType, bool IsPage);

/// <summary>
/// Serves the tab's files from the "tab" folder of the app's output. Only flat names with a known extension are
/// served, so a request can never reach outside that folder.
/// </summary>
public sealed partial class TabFiles
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".json"] = "application/json; charset=utf-8",
    };

    /// <summary>Teams shows tabs in frames of its own hosts; nobody else may frame the dashboard.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.office.com https://*.skype.com";

    private readonly string _root;

    public TabFiles()
        : this(System.IO.Path.Combine(AppContext.BaseDirectory, "tab"))
    {
    }

    public TabFiles(string root) => _root = System.IO.Path.GetFullPath(root);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();

    public TabFile? Find(string? name)
    {
        if (string.IsNullOrEmpty(name) || !FileName().IsMatch(name) || name.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        var extension = System.IO.Path.GetExtension(name);
        if (!ContentTypes.TryGetValue(extension, out var contentType))
        {
            return null;
        }

        var path = System.IO.Path.Combine(_root, name);
        return File.Exists(path) ? new TabFile(path, contentType, extension.Equals(".html", StringComparison.OrdinalIgnoreCase)) : null;
    }
}
