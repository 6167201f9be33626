using ReleaseTeamsApp.Cards;

namespace ReleaseTeamsApp.Metrics;

/// <summary>What template metrics binds: one release's metrics (when asked for one) and the team's.</summary>
internal sealed record MetricsCardData(bool HasRelease, MetricsCardRelease? Release, MetricsCardTeam Team, bool HasTrends, IReadOnlyList<MetricsTrend> Trends, string Definitions);

/// <summary>The release's part of the metrics card: its version and facts.</summary>
internal sealed record MetricsCardRelease(string Version, IReadOnlyList<CardFact> Facts);

/// <summary>The team's part of the metrics card: the period its releases span and the facts over them.</summary>
internal sealed record MetricsCardTeam(string Period, IReadOnlyList<CardFact> Facts);

/// <summary>An item that is often late or skipped across the team's releases.</summary>
internal sealed record MetricsTrend(string Text);
