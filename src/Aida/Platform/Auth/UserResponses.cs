namespace Aida.Platform.Auth;

public sealed record UserResponse(
    Guid Id,
    string Email,
    string DisplayName,
    Role Role,
    Guid? TeamId,
    string TimeZone,
    bool IsActive,
    DateTime CreatedAt,
    DateTime? LastSignInAt,
    int Version);

public sealed record TeamResponse(Guid Id, string Name, Guid? ManagerId, DateTime CreatedAt, int Version);

/// <summary>A token as listed: never its secret, only the prefix that tells it apart.</summary>
public sealed record TokenResponse(
    Guid Id,
    string Name,
    string Prefix,
    TokenScope Scope,
    DateTime CreatedAt,
    DateTime? ExpiresAt,
    DateTime? RevokedAt,
    DateTime? LastUsedAt);

public static class UserMapping
{
    public static UserResponse ToResponse(this User u) =>
        new(u.Id, u.Email, u.DisplayName, u.Role, u.TeamId, u.TimeZone, u.IsActive, u.CreatedAt, u.LastSignInAt, u.Version);

    public static TeamResponse ToResponse(this Team t) => new(t.Id, t.Name, t.ManagerId, t.CreatedAt, t.Version);

    public static TokenResponse ToResponse(this ApiToken t) =>
        new(t.Id, t.Name, t.Prefix, t.Scope, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt);
}
