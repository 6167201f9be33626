using System.Globalization;
using System.Net;
using System.Text.Json;
using ReleaseTeamsApp.Functions;
using ReleaseTeamsApp.Hosting;

namespace ReleaseTeamsApp.LocalHost;

/// <summary>
/// A stand-in for the Azure Functions host: serves the Functions app's HTTP functions on
/// http://localhost:7071/api/… and runs its timer functions on their schedules, with the app's own DI setup.
/// </summary>
public static class LocalHostApplication
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var port = builder.Configuration["LocalHost:Port"] ?? "7071";
        if (builder.Configuration["urls"] is null && builder.Configuration["LocalHost:Urls"] is null)
        {
            builder.WebHost.UseUrls($"http://localhost:{port}");
        }
        else if (builder.Configuration["LocalHost:Urls"] is { } urls)
        {
            builder.WebHost.UseUrls(urls);
        }

        // Test hosts sharing one Azurite keep their work queues apart as they keep their tables apart (Azure uses the plain names).
        if (string.IsNullOrEmpty(builder.Configuration["Storage:QueuePrefix"]) && builder.Configuration["Storage:TablePrefix"] is { Length: > 0 } tablePrefix)
        {
            builder.Configuration["Storage:QueuePrefix"] = new string(tablePrefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        }

        var clock = new SimulatedClock(start: builder.Configuration["LocalHost:ClockStart"] is { Length: > 0 } start
            ? DateTimeOffset.Parse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null);
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddReleaseTeamsApp(builder.Configuration);
        builder.Services.AddMvcCore();
        builder.Services.AddHttpClient();

        var catalog = FunctionCatalog.Discover(typeof(Health).Assembly, builder.Configuration);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<TimerScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TimerScheduler>());
        builder.Services.AddSingleton(QueueSettings.Read(new[] { AppContext.BaseDirectory, builder.Environment.ContentRootPath }.Select(d => Path.Combine(d, "host.json")).FirstOrDefault(File.Exists), builder.Configuration));
        builder.Services.AddSingleton<QueueListener>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QueueListener>());

        var app = builder.Build();
        app.UseExceptionHandler(errors => errors.Run(context =>
            UnhandledErrors.WriteAsync(context, context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()!.Error, context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ReleaseTeamsApp.LocalHost"))));
        var prefix = RoutePrefix(app.Environment.ContentRootPath);
        foreach (var function in catalog.Http)
        {
            app.MapMethods($"{prefix}/{function.Route}", function.Methods, context => FunctionInvoker.HandleHttpAsync(function, context))
                .WithName(function.Name);
        }

        // The admin endpoints and the Teams stand-in send unsigned activities and move the clock: only for anonymous
        // local runs, and only to callers on this machine.
        if (string.IsNullOrWhiteSpace(app.Configuration["MicrosoftAppId"]))
        {
            var local = app.MapGroup("").AddEndpointFilter(LoopbackOnlyAsync);
            MapAdmin(local);
            DevTeams.Map(local, prefix);
            DevGitHub.Map(local, prefix);
            DevAzureDevOps.Map(local, prefix);
        }

        return app;
    }

    /// <summary>
    /// Reads local.settings.json (found from the current directory upwards) the way func start does. Only the local
    /// host program does this; tests and benchmarks configure their hosts explicitly so a developer's file never leaks in.
    /// </summary>
    public static void UseLocalSettings(WebApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (LocalSettings.Find(Directory.GetCurrentDirectory()) is { } settings)
        {
            builder.Configuration.AddInMemoryCollection(LocalSettings.Read(settings));
            // Environment variables and the command line still win over the file, as with func start.
            builder.Configuration.AddEnvironmentVariables();
            builder.Configuration.AddCommandLine(args);
        }
    }

    /// <summary>The Functions host's admin endpoint for running a non-HTTP function, plus the simulated clock.</summary>
    private static async ValueTask<object?> LoopbackOnlyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote)
            ? await next(context)
            : Results.NotFound();

    private static void MapAdmin(IEndpointRouteBuilder app)
    {
        app.MapPost("/admin/functions/{name}", async (string name, TimerScheduler timers, CancellationToken cancellationToken) =>
            await timers.RunNowAsync(name, cancellationToken) ? Results.Accepted() : Results.NotFound(new { error = $"No timer function named '{name}'." }));

        // Handles every message waiting on the queue triggers' queues now (after a clock change, or to see a poison message land).
        app.MapPost("/admin/queues/drain", async (QueueListener listener, CancellationToken cancellationToken) =>
            Results.Ok(new { handled = await listener.DrainAsync(cancellationToken) }));

        app.MapGet("/admin/clock", (SimulatedClock clock) => Results.Ok(new { now = clock.GetUtcNow(), offset = clock.Offset.ToString() }));

        // {"advance": "1.00:00:00"} or {"set": "2026-12-01T09:00:00Z"}; timers run right after so the app catches up.
        app.MapPost("/admin/clock", async (HttpRequest request, SimulatedClock clock, TimerScheduler timers, CancellationToken cancellationToken) =>
        {
            ClockChange? change;
            try
            {
                change = await request.ReadFromJsonAsync<ClockChange>(cancellationToken);
            }
            catch (JsonException)
            {
                change = null;
            }

            if (change is { Advance: { } by } && TimeSpan.TryParse(by, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
            {
                clock.Advance(span);
            }
            else if (change is { Set: { } at } && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            {
                clock.Set(instant);
            }
            else
            {
                return Results.BadRequest(new { error = "Send {\"advance\": \"d.hh:mm:ss\"} (forward only) or {\"set\": \"2026-12-01T09:00:00Z\"}." });
            }

            await timers.RunAllAsync(cancellationToken);
            return Results.Ok(new { now = clock.GetUtcNow(), offset = clock.Offset.ToString() });
        });
    }

    private static string RoutePrefix(string contentRoot)
    {
        var hostJson = new[] { AppContext.BaseDirectory, contentRoot }.Select(d => Path.Combine(d, "host.json")).FirstOrDefault(File.Exists);
        if (hostJson is null)
        {
            return "/api";
        }

        using var document = JsonDocument.Parse(File.ReadAllText(hostJson));
        return document.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var routePrefix)
                ? "/" + routePrefix.GetString()!.Trim('/')
                : "/api";
    }

    private sealed record ClockChange(string? Advance, string? Set);
}
