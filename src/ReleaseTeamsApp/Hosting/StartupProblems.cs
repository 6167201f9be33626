using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ReleaseTeamsApp.Hosting;

/// <summary>A setting that stops the app from starting; its message names the setting and what to do.</summary>
internal sealed class StartupConfigurationException : Exception
{
    public StartupConfigurationException()
        : this("A setting is missing or invalid.")
    {
    }

    public StartupConfigurationException(string message)
        : base(message)
    {
    }

    public StartupConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Builds and runs a host so that a configuration problem found at startup ends it with one line naming the settings to
/// fix (and exit code 1) instead of a stack trace. Used by the Functions worker and the local host.
/// </summary>
internal static class StartupProblems
{
    public const int ExitCode = 1;
    public const string Prefix = "ReleaseTeamsApp did not start: ";

    public static async Task<int> RunAsync(Func<IHost> build, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(build);
        IHost host;
        try
        {
            host = build();
            // The options validated on start are checked before the host starts, so no startup-failure log with a stack trace precedes the line.
            host.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception ex) when (Problems(ex) is { Count: > 0 } problems)
        {
            await (error ?? Console.Error).WriteLineAsync(Describe(problems));
            return ExitCode;
        }

        using (host)
        {
            try
            {
                await host.RunAsync();
                return 0;
            }
            catch (Exception ex) when (Problems(ex) is { Count: > 0 } problems)
            {
                await (error ?? Console.Error).WriteLineAsync(Describe(problems));
                return ExitCode;
            }
        }
    }

    /// <summary>Every problem on one line.</summary>
    public static string Describe(IEnumerable<string> problems) =>
        Prefix + string.Join(" ", problems.Select(p => p.ReplaceLineEndings(" ").Trim()).Where(p => p.Length > 0).Distinct());

    /// <summary>The configuration problems an exception reports; empty when it is not a configuration problem.</summary>
    private static List<string> Problems(Exception exception) => exception switch
    {
        OptionsValidationException validation => [.. validation.Failures],
        StartupConfigurationException configuration => [configuration.Message],
        Storage.StorageUnavailableException storage => [storage.Message],
        AggregateException aggregate when aggregate.InnerExceptions.All(e => Problems(e).Count > 0) => aggregate.InnerExceptions.SelectMany(Problems).ToList(),
        _ => [],
    };
}
