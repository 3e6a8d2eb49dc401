namespace Aida.Features.Import;

/// <summary><c>GET /api/v1/imports/{id}</c> and <c>GET /api/v1/imports</c>: an import's status, counts, rows/s and time left; the actor's imports, newest first.</summary>
public static class GetImport
{
    public static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var import = await ImportMapping.Visible(db).AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        return import is null ? Problems.NotFound("import") : TypedResults.Ok(import.ToResponse(db.Clock.UtcNow()));
    }

    public sealed record ListResponse(IReadOnlyList<ImportResponse> Items);

    public static async Task<Ok<ListResponse>> List(AidaDb db, CancellationToken cancellationToken)
    {
        var actor = db.Operation.ActorId;
        var imports = await db.Set<Import>().AsNoTracking().Where(i => i.OwnerId == actor)
            .OrderByDescending(i => i.CreatedAt).Take(50).ToListAsync(cancellationToken);
        var now = db.Clock.UtcNow();
        return TypedResults.Ok(new ListResponse(imports.Select(i => i.ToResponse(now)).ToList()));
    }
}
