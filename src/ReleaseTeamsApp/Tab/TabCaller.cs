namespace ReleaseTeamsApp.Tab;

/// <summary>Who is asking, as far as the tab API trusts it: the tenant from a validated SSO token (or the development bypass).</summary>
public sealed record TabCaller(string TenantId, string? UserObjectId, string? Name, bool IsDevelopment);
