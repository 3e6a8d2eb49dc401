using Microsoft.AspNetCore.Identity;

namespace Aida.Platform.Auth;

/// <summary>
/// Creating users, teams and tokens and deactivating users: the rules shared by the API, the CLI and
/// the setup page. Customer-side effects of deactivation are supplied by the customers feature through
/// <see cref="IOwnerReassignment"/>, so this platform code does not reach into features.
/// </summary>
public static class UserAdministration
{
    public const int MinPasswordLength = 12;

    private static readonly PasswordHasher<User> Hasher = new();

    public sealed record NewUser(string? Email, string? DisplayName, Role? Role, Guid? TeamId, string? TimeZone, string? Password);

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>Validates and adds a user (not yet saved); null with <paramref name="errors"/> filled when invalid.</summary>
    public static async Task<User?> AddUserAsync(AidaDb db, NewUser input, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var email = errors.Email("email", input.Email);
        if (email is null && !errors.Has("email"))
        {
            errors.Add("email", "Is required.");
        }

        var name = errors.RequiredText("displayName", input.DisplayName, User.NameMaxLength);
        if (input.Role is null)
        {
            errors.Add("role", $"Is required: one of {string.Join(", ", EnumText<Role>.AllNames)}.");
        }

        var timeZone = CheckTimeZone(errors, "timeZone", input.TimeZone) ?? "UTC";
        await CheckTeamAsync(db, input.TeamId, errors, cancellationToken);
        if (input.Password is not null)
        {
            CheckPassword(errors, "password", input.Password);
        }

        if (email is not null && !errors.Has("email")
            && await db.Set<User>().AnyAsync(u => u.Email == NormalizeEmail(email), cancellationToken))
        {
            errors.Add("email", "Another user already has this email address.");
        }

        if (errors.Any)
        {
            return null;
        }

        var user = new User
        {
            Email = NormalizeEmail(email!),
            DisplayName = name!,
            Role = input.Role!.Value,
            TeamId = input.TeamId,
            TimeZone = timeZone,
        };
        if (input.Password is not null)
        {
            user.PasswordHash = Hasher.HashPassword(user, input.Password);
        }

        db.Add(user);
        db.Publish("user.created", $"users/{user.Id}", () => new { user = user.ToResponse() });
        return user;
    }

    public static void SetPassword(User user, string password)
    {
        user.PasswordHash = Hasher.HashPassword(user, password);
        user.SecurityStamp = Guid.NewGuid().ToString("N");
    }

    public static bool VerifyPassword(User user, string password) =>
        user.PasswordHash is not null
        && Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;

    /// <summary>Spends the time a real check would, so a wrong email cannot be told from a wrong password by timing.</summary>
    public static void VerifyNothing(string password) =>
        _ = Hasher.VerifyHashedPassword(new User { Email = "", DisplayName = "" }, DecoyHash, password);

    private static readonly string DecoyHash = Hasher.HashPassword(new User { Email = "", DisplayName = "" }, Guid.NewGuid().ToString());

    public static void CheckPassword(ValidationErrors errors, string field, string password)
    {
        if (password.Length < MinPasswordLength)
        {
            errors.Add(field, $"Must be at least {MinPasswordLength} characters.");
        }
        else if (password.Length > 200)
        {
            errors.Add(field, "Must be at most 200 characters.");
        }
    }

    public static string? CheckTimeZone(ValidationErrors errors, string field, string? value)
    {
        var zone = errors.OptionalText(field, value, 100);
        if (zone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors.Add(field, "Is not a known time zone; use an IANA name such as Europe/Berlin or UTC.");
        }

        return zone;
    }

    public static async Task CheckTeamAsync(AidaDb db, Guid? teamId, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (teamId is { } id && !await db.Set<Team>().AnyAsync(t => t.Id == id, cancellationToken))
        {
            errors.Add("teamId", "No team with this id exists.");
        }
    }

    public static async Task CheckManagerAsync(AidaDb db, Guid? managerId, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (managerId is { } id && !await db.Set<User>().AnyAsync(u => u.Id == id && u.IsActive && u.Role == Role.Manager, cancellationToken))
        {
            errors.Add("managerId", "Must be an active user with the manager role.");
        }
    }

    /// <summary>
    /// Deactivates a user in one transaction (edge case "inactive owner"): their sign-ins end, their
    /// tokens are revoked, they stop managing their team, and the customers they own go to their team's
    /// manager — or, when there is none, to the unassigned pool. Every change is audited.
    /// </summary>
    public static async Task DeactivateAsync(AidaDb db, User user, IEnumerable<IOwnerReassignment> reassignments, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var now = db.Clock.UtcNow();
        Guid? heir = null;
        if (user.TeamId is { } teamId)
        {
            heir = await db.Set<Team>().Where(t => t.Id == teamId && t.ManagerId != null && t.ManagerId != user.Id)
                .Join(db.Set<User>().Where(u => u.IsActive), t => t.ManagerId, u => u.Id, (t, u) => (Guid?)u.Id)
                .FirstOrDefaultAsync(cancellationToken);
        }

        user.IsActive = false;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        foreach (var token in await db.Set<ApiToken>().Where(t => t.UserId == user.Id && t.RevokedAt == null).ToListAsync(cancellationToken))
        {
            token.RevokedAt = now;
        }

        foreach (var team in await db.Set<Team>().Where(t => t.ManagerId == user.Id).ToListAsync(cancellationToken))
        {
            team.ManagerId = null;
        }

        foreach (var reassignment in reassignments)
        {
            await reassignment.ReassignAsync(db, user.Id, heir, cancellationToken);
        }

        db.Publish("user.deactivated", $"users/{user.Id}", () => new { user = user.ToResponse(), reassignedTo = heir });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Creates a token for <paramref name="user"/> (not yet saved) with the only copy of its secret.</summary>
    public static (ApiToken Token, string Secret) AddToken(AidaDb db, User user, string name, TokenScope scope, DateTime? expiresAt)
    {
        var (token, secret) = ApiToken.Create(user.Id, name, scope, expiresAt);
        db.Add(token);
        db.Publish("token.created", $"users/{user.Id}/tokens/{token.Id}", () => new { token = token.ToResponse() });
        return (token, secret);
    }

    public static void Revoke(AidaDb db, ApiToken token)
    {
        token.RevokedAt = db.Clock.UtcNow();
        db.Publish("token.revoked", $"users/{token.UserId}/tokens/{token.Id}", () => new { token = token.ToResponse() });
    }
}

/// <summary>Moves what a deactivated user owns to their heir (team manager) or, when null, the unassigned pool.</summary>
public interface IOwnerReassignment
{
    Task ReassignAsync(AidaDb db, Guid formerOwner, Guid? heir, CancellationToken cancellationToken);
}
