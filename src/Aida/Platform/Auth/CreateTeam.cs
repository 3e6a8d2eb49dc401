namespace Aida.Platform.Auth;

/// <summary>Create a team (admin.settings), optionally with its manager; team names are unique.</summary>
public static class CreateTeam
{
    public static async Task<Results<Created<TeamResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] UserEndpoints.CreateTeamRequest request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, cancellationToken)).ToCreated(response, created => $"/api/v1/teams/{created.Id}");

    public static async Task<Result<TeamResponse>> RunAsync(UserEndpoints.CreateTeamRequest request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = errors.RequiredText("name", request.Name, Team.NameMaxLength);
        await UserAdministration.CheckManagerAsync(db, request.ManagerId, errors, cancellationToken);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (await db.Set<Team>().AnyAsync(t => t.Name == name, cancellationToken))
        {
            return new Failure.Conflict("name", "Another team already has this name.");
        }

        var team = new Team { Name = name!, ManagerId = request.ManagerId };
        db.Add(team);
        db.Publish("team.created", $"teams/{team.Id}", () => new { team = team.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // Teams are answered without an ETag (the version is in the body), as they always were.
        return Result.Ok(team.ToResponse());
    }
}
