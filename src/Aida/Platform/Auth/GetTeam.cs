namespace Aida.Platform.Auth;

/// <summary>One team, with the ETag a careful client sends back as If-Match when it changes it.</summary>
public static class GetTeam
{
    public static async Task<Results<Ok<TeamResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await db.Set<Team>().AsNoTracking().Where(t => t.Id == id).FindAsync("team", t => t.ToResponse(), cancellationToken))
            .ToOkOrProblem(response);
}
