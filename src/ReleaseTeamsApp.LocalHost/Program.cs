using ReleaseTeamsApp.LocalHost;

var app = LocalHostApplication.Build(args);
app.Run();
