namespace Aida.Platform.Auth;

public static class ListTeams
{
    public static async Task<Ok<List<TeamResponse>>> Handle(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.Set<Team>().AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken)).Select(t => t.ToResponse()).ToList());
}
