using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using ReleaseTeamsApp.Functions;
using ReleaseTeamsApp.Hosting;

return await StartupProblems.RunAsync(() =>
{
    var builder = FunctionsApplication.CreateBuilder(args);
    builder.ConfigureFunctionsWebApplication();
    builder.UseMiddleware<UnhandledErrorMiddleware>();
    builder.AddReleaseTelemetry();
    builder.Services.AddReleaseTeamsApp(builder.Configuration);
    return builder.Build();
});
