namespace Aida.Platform.Auth;

/// <summary>Create a user with a role, team and time zone (admin.settings); the rules are the CLI's and the setup page's too.</summary>
public static class CreateUser
{
    public static async Task<Results<Created<UserResponse>, ValidationProblem>> Handle(
        [FromBody] UserEndpoints.CreateUserRequest request, AidaDb db, CancellationToken cancellationToken)
    {
        var created = await RunAsync(request, db, cancellationToken);
        return created.Succeeded
            ? TypedResults.Created($"/api/v1/users/{created.Value.Id}", created.Value)
            : ((Failure.Invalid)created.Failure).ToValidationProblem();
    }

    /// <summary>The new user, or the fields that are invalid (its only refusal).</summary>
    public static async Task<Result<UserResponse>> RunAsync(UserEndpoints.CreateUserRequest request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var user = await UserAdministration.AddUserAsync(db,
            new UserAdministration.NewUser(request.Email, request.DisplayName, request.Role, request.TeamId, request.TimeZone, request.Password),
            errors, cancellationToken);
        if (user is null)
        {
            return errors.ToFailure();
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(user.ToResponse());
    }
}
