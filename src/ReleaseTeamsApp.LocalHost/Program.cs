using ReleaseTeamsApp.LocalHost;

var app = LocalHostApplication.Build(args, builder => LocalHostApplication.UseLocalSettings(builder, args));
app.Run();
