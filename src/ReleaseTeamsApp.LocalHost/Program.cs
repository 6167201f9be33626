using ReleaseTeamsApp.Hosting;
using ReleaseTeamsApp.LocalHost;

return await StartupProblems.RunAsync(() => LocalHostApplication.Build(args, builder => LocalHostApplication.UseLocalSettings(builder, args)));
