namespace Aida.Platform.Auth;

/// <summary>
/// Change a user (admin.settings, If-Match). isActive=false deactivates: sessions and tokens end, their
/// customers go to the team manager or the unassigned pool. Nobody deactivates themselves or gives up
/// their own admin role.
/// </summary>
public static class UpdateUser
{
    public static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] UserEndpoints.UpdateUserRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        IEnumerable<IOwnerReassignment> reassignments,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, reassignments, cancellationToken)).ToOk(response);

    public static async Task<Result<UserResponse>> RunAsync(
        Guid id, UserEndpoints.UpdateUserRequest request, string? ifMatch, AidaDb db, IEnumerable<IOwnerReassignment> reassignments, CancellationToken cancellationToken)
    {
        var updated = await db.ChangeAsync(db.Set<User>().Where(u => u.Id == id && u.Id != User.SystemId), ifMatch, "user", async Task<Failure?> (user) =>
        {
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
                return errors.ToFailure();
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

            return null;
        }, user => user.ToResponse(), cancellationToken);

        // The users API has never sent an ETag (the version is in the body); answering without one keeps it so.
        return updated.Succeeded ? Result.Ok(updated.Value) : updated.Failure;
    }
}
