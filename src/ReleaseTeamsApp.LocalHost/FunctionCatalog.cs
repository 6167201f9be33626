using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace ReleaseTeamsApp.LocalHost;

/// <summary>An HTTP-triggered function of the Functions app, as the local host serves it.</summary>
internal sealed record HttpFunction(string Name, MethodInfo Method, string Route, IReadOnlyList<string> Methods);

/// <summary>A timer-triggered function with its NCRONTAB (or TimeSpan) schedule, settings already resolved.</summary>
internal sealed record TimerFunction(string Name, MethodInfo Method, string Schedule, bool RunOnStartup);

/// <summary>A queue-triggered function and the queue it listens on (settings already resolved).</summary>
internal sealed record QueueFunction(string Name, MethodInfo Method, string QueueName);

/// <summary>
/// Reads the function classes of the Functions assembly the same way the Functions host does (from their
/// [Function] and trigger attributes), so the local host runs exactly what deploys.
/// </summary>
internal sealed class FunctionCatalog
{
    private FunctionCatalog(IReadOnlyList<HttpFunction> http, IReadOnlyList<TimerFunction> timers, IReadOnlyList<QueueFunction> queues)
    {
        Http = http;
        Timers = timers;
        Queues = queues;
    }

    public IReadOnlyList<QueueFunction> Queues { get; }

    public IReadOnlyList<HttpFunction> Http { get; }

    public IReadOnlyList<TimerFunction> Timers { get; }

    public static FunctionCatalog Discover(Assembly functions, IConfiguration configuration)
    {
        var http = new List<HttpFunction>();
        var timers = new List<TimerFunction>();
        var queues = new List<QueueFunction>();
        foreach (var type in functions.GetTypes().Where(t => t.IsClass && !t.IsAbstract))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
                {
                    continue;
                }

                foreach (var parameter in method.GetParameters())
                {
                    if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is { } httpTrigger)
                    {
                        var methods = httpTrigger.Methods is { Length: > 0 } m ? m.Select(x => x.ToUpperInvariant()).ToArray() : ["GET", "POST"];
                        http.Add(new HttpFunction(function.Name, method, httpTrigger.Route ?? function.Name, methods));
                    }
                    else if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is { } timerTrigger)
                    {
                        timers.Add(new TimerFunction(function.Name, method, Resolve(timerTrigger.Schedule, configuration, function.Name), timerTrigger.RunOnStartup));
                    }
                    else if (parameter.GetCustomAttribute<QueueTriggerAttribute>() is { } queueTrigger)
                    {
                        queues.Add(new QueueFunction(function.Name, method, Resolve(queueTrigger.QueueName ?? function.Name, configuration, function.Name)));
                    }
                }
            }
        }

        return new FunctionCatalog(http, timers, queues);
    }

    /// <summary>"%Setting%" names an app setting, as in the Functions host.</summary>
    private static string Resolve(string schedule, IConfiguration configuration, string function)
    {
        if (schedule.Length > 2 && schedule.StartsWith('%') && schedule.EndsWith('%'))
        {
            var setting = schedule[1..^1];
            return configuration[setting] is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException($"Function {function}: the app setting '{setting}' (its timer schedule) is not set. Add it to local.settings.json.");
        }

        return schedule;
    }
}
