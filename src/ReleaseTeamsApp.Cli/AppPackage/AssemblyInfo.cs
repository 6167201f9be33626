using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ReleaseTeamsApp.Deployment.Tests")]
