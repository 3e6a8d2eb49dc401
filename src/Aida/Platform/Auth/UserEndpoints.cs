using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Platform.Auth;

/// <summary>Users and teams (admin.settings), and the signed-in user's own profile and API tokens.</summary>
public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/users").WithTags("Users").WithIdempotency().RequirePermission(Permissions.AdminSettings);
        users.MapGet("/", ListUsers).WithName("Users_List").WithSummary("List users with their roles and teams.");
        users.MapPost("/", CreateUser).WithName("Users_Create").WithSummary("Create a user with a role, team and time zone.");
        users.MapGet("/{id:guid}", GetUser).WithName("Users_Get").WithSummary("Get a user.");
        users.MapPatch("/{id:guid}", UpdateUser).WithName("Users_Update")
            .WithSummary("Change a user. isActive=false deactivates: sessions and tokens end, their customers go to the team manager or the unassigned pool.");

        var teams = app.MapGroup("/api/v1/teams").WithTags("Users").WithIdempotency().RequirePermission(Permissions.AdminSettings);
        teams.MapGet("/", ListTeams).WithName("Teams_List").WithSummary("List teams.");
        teams.MapPost("/", CreateTeam).WithName("Teams_Create").WithSummary("Create a team, optionally with its manager.");
        teams.MapPatch("/{id:guid}", UpdateTeam).WithName("Teams_Update").WithSummary("Rename a team or change its manager (merge-patch).");

        var me = app.MapGroup("/api/v1/me").WithTags("Me").WithIdempotency().RequirePermission(Permissions.CustomersViewOwn);
        me.MapGet("/", GetMe).WithName("Me_Get").WithSummary("The signed-in user, their permissions and whether they see all customers.");
        me.MapGet("/tokens", ListMyTokens).WithName("Me_ListTokens").WithSummary("List your API tokens (never their secrets).");
        me.MapPost("/tokens", CreateMyToken).WithName("Me_CreateToken")
            .WithSummary("Create an API token for yourself. The response is the only time its secret is shown.");
        me.MapDelete("/tokens/{id:guid}", RevokeMyToken).WithName("Me_RevokeToken").WithSummary("Revoke one of your API tokens.");
        return app;
    }

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

    private static async Task<Ok<List<UserResponse>>> ListUsers(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.Set<User>().AsNoTracking().Where(u => u.Id != User.SystemId).OrderBy(u => u.Email).ToListAsync(cancellationToken))
            .Select(u => u.ToResponse()).ToList());

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUser(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && u.Id != User.SystemId, cancellationToken) is { } user
            ? TypedResults.Ok(user.ToResponse())
            : Problems.NotFound("user");

    private static async Task<Results<Created<UserResponse>, ValidationProblem>> CreateUser(
        [FromBody] CreateUserRequest request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var user = await UserAdministration.AddUserAsync(db,
            new UserAdministration.NewUser(request.Email, request.DisplayName, request.Role, request.TeamId, request.TimeZone, request.Password),
            errors, cancellationToken);
        if (user is null)
        {
            return errors.ToProblem();
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/users/{user.Id}", user.ToResponse());
    }

    private static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> UpdateUser(
        Guid id,
        [FromBody] UpdateUserRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        IEnumerable<IOwnerReassignment> reassignments,
        CancellationToken cancellationToken)
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var found = await db.Set<User>().Where(u => u.Id == id && u.Id != User.SystemId).FindForChangeAsync(precondition, "user", cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }

        var user = found.Record;
        var errors = new ValidationErrors();
        var name = request.DisplayName.IsSet ? errors.RequiredText("displayName", request.DisplayName.Value, User.NameMaxLength) : user.DisplayName;
        var timeZone = request.TimeZone.IsSet ? UserAdministration.CheckTimeZone(errors, "timeZone", request.TimeZone.Value) ?? "UTC" : user.TimeZone;
        if (request.TeamId.IsSet)
        {
            await UserAdministration.CheckTeamAsync(db, request.TeamId.Value, errors, cancellationToken);
        }

        if (user.Id == db.Operation.ActorId && (request.IsActive.Or(true) == false || (request.Role.IsSet && request.Role.Value != Role.Admin)))
        {
            errors.Add(request.IsActive.IsSet ? "isActive" : "role", "You cannot deactivate yourself or give up your own admin role.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        user.DisplayName = name!;
        user.Role = request.Role.Or(user.Role);
        user.TeamId = request.TeamId.Or(user.TeamId);
        user.TimeZone = timeZone;
        if (request.IsActive.IsSet && request.IsActive.Value != user.IsActive)
        {
            if (request.IsActive.Value)
            {
                user.IsActive = true;
                db.Publish("user.reactivated", $"users/{user.Id}", () => new { user = user.ToResponse() });
            }
            else
            {
                await UserAdministration.DeactivateAsync(db, user, reassignments, cancellationToken);
            }
        }

        var changes = db.ChangedFields(user);
        if (changes.Count > 0)
        {
            // Rights changed: sessions re-read the user on every request; a new stamp makes that explicit.
            user.SecurityStamp = Guid.NewGuid().ToString("N");
            db.Publish("user.updated", $"users/{user.Id}", () => new { user = user.ToResponse(), changes });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(user.ToResponse());
    }

    private static async Task<Ok<List<TeamResponse>>> ListTeams(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.Set<Team>().AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken)).Select(t => t.ToResponse()).ToList());

    private static async Task<Results<Created<TeamResponse>, ValidationProblem, ProblemHttpResult>> CreateTeam(
        [FromBody] CreateTeamRequest request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = errors.RequiredText("name", request.Name, Team.NameMaxLength);
        await CheckManagerAsync(db, request.ManagerId, errors, cancellationToken);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (await db.Set<Team>().AnyAsync(t => t.Name == name, cancellationToken))
        {
            return Problems.Conflict("name", "Another team already has this name.");
        }

        var team = new Team { Name = name!, ManagerId = request.ManagerId };
        db.Add(team);
        db.Publish("team.created", $"teams/{team.Id}", () => new { team = team.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/teams/{team.Id}", team.ToResponse());
    }

    private static async Task<Results<Ok<TeamResponse>, ValidationProblem, ProblemHttpResult>> UpdateTeam(
        Guid id, [FromBody] UpdateTeamRequest request, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        var found = await db.Set<Team>().Where(t => t.Id == id).FindForChangeAsync(precondition, "team", cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }

        var team = found.Record;
        var errors = new ValidationErrors();
        var name = request.Name.IsSet ? errors.RequiredText("name", request.Name.Value, Team.NameMaxLength) : team.Name;
        if (request.ManagerId.IsSet)
        {
            await CheckManagerAsync(db, request.ManagerId.Value, errors, cancellationToken);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        team.Name = name!;
        team.ManagerId = request.ManagerId.Or(team.ManagerId);
        var changes = db.ChangedFields(team);
        if (changes.Count > 0)
        {
            db.Publish("team.updated", $"teams/{team.Id}", () => new { team = team.ToResponse(), changes });
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(team.ToResponse());
    }

    private static async Task CheckManagerAsync(AidaDb db, Guid? managerId, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (managerId is { } id && !await db.Set<User>().AnyAsync(u => u.Id == id && u.IsActive && u.Role == Role.Manager, cancellationToken))
        {
            errors.Add("managerId", "Must be an active user with the manager role.");
        }
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMe(AidaDb db, CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.Id == db.Operation.ActorId, cancellationToken);
        return user is null
            ? Problems.NotFound("user")
            : TypedResults.Ok(new MeResponse(user.ToResponse(), db.Operation.Access.Permissions.Order(StringComparer.Ordinal).ToList(), db.Operation.Access.AllCustomers));
    }

    private static async Task<Ok<List<TokenResponse>>> ListMyTokens(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.Set<ApiToken>().AsNoTracking().Where(t => t.UserId == db.Operation.ActorId)
            .OrderByDescending(t => t.CreatedAt).ToListAsync(cancellationToken)).Select(t => t.ToResponse()).ToList());

    private static async Task<Results<Created<CreatedTokenResponse>, ValidationProblem, ProblemHttpResult>> CreateMyToken(
        [FromBody] CreateTokenRequest request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = errors.RequiredText("name", request.Name, ApiToken.NameMaxLength);
        if (request.ExpiresInDays is < 1 or > 3650)
        {
            errors.Add("expiresInDays", "Must be between 1 and 3650 days, or left out for a token that does not expire.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var user = await db.Set<User>().FirstOrDefaultAsync(u => u.Id == db.Operation.ActorId, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound("user");
        }

        var expires = request.ExpiresInDays is { } days ? db.Clock.UtcNow().AddDays(days) : (DateTime?)null;
        var (token, secret) = UserAdministration.AddToken(db, user, name!, request.Scope ?? TokenScope.Write, expires);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/me/tokens/{token.Id}", new CreatedTokenResponse(token.ToResponse(), secret));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeMyToken(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        await UserAdministration.RevokeOwnTokenAsync(db, id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound("token");
}
