namespace Aida.Platform.Auth;

/// <summary>Rename a team or change its manager (admin.settings, merge-patch, If-Match).</summary>
public static class UpdateTeam
{
    public static async Task<Results<Ok<TeamResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] UserEndpoints.UpdateTeamRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static async Task<Result<TeamResponse>> RunAsync(
        Guid id, UserEndpoints.UpdateTeamRequest request, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        var updated = await db.ChangeAsync(db.Set<Team>().Where(t => t.Id == id), ifMatch, "team", async Task<Failure?> (team) =>
        {
            var errors = new ValidationErrors();
            var name = request.Name.IsSet ? errors.RequiredText("name", request.Name.Value, Team.NameMaxLength) : team.Name;
            if (request.ManagerId.IsSet)
            {
                await UserAdministration.CheckManagerAsync(db, request.ManagerId.Value, errors, cancellationToken);
            }

            if (errors.Any)
            {
                return errors.ToFailure();
            }

            team.Name = name!;
            team.ManagerId = request.ManagerId.Or(team.ManagerId);
            db.PublishChanges(team, "team.updated", $"teams/{team.Id}", changes => new { team = team.ToResponse(), changes });

            return null;
        }, team => team.ToResponse(), cancellationToken);

        // Teams are answered without an ETag (the version is in the body), as they always were.
        return updated.Succeeded ? Result.Ok(updated.Value) : updated.Failure;
    }
}
