namespace Aida.Platform.Auth;

/// <summary>
/// What the users, teams and me API reads and answers; each use case is in its own file (CreateUser,
/// UpdateTeam, CreateMyToken, …). The records stay nested here because OpenAPI names a nested schema
/// after its declaring type (UserCreateUserRequest, UserMeResponse), the names clients know them by.
/// </summary>
public static class UserEndpoints
{
    public sealed record MeResponse(UserResponse User, IReadOnlyList<string> Permissions, bool SeesAllCustomers);

    public sealed record CreateUserRequest(string? Email, string? DisplayName, Role? Role, Guid? TeamId, string? TimeZone, string? Password);

    public sealed record UpdateUserRequest(Optional<string?> DisplayName, Optional<Role> Role, Optional<Guid?> TeamId, Optional<string?> TimeZone, Optional<bool> IsActive);

    public sealed record CreateTeamRequest(string? Name, Guid? ManagerId);

    public sealed record UpdateTeamRequest(Optional<string?> Name, Optional<Guid?> ManagerId);

    public sealed record CreateTokenRequest(string? Name, TokenScope? Scope, int? ExpiresInDays);

    /// <summary>A new token with its secret: shown once. A retry with the same Idempotency-Key answers the same token with no secret.</summary>
    public sealed record CreatedTokenResponse(TokenResponse Token, string? Secret) : IShownOnce
    {
        public object WithoutSecret() => this with { Secret = null };
    }
}
