namespace Aida.Features.Import;

/// <summary><c>GET /api/v1/imports/{id}/preview?limit=</c>: the first rows with the current mapping, validated, nothing written.</summary>
public static class PreviewImport
{
    public static async Task<Results<Ok<PreviewResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromQuery] int? limit, AidaDb db, ImportStorage storage, ImportPreviewer previewer, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > ImportPreviewer.MaxRows)
        {
            return Problems.Validation("limit", $"Must be between 1 and {ImportPreviewer.MaxRows}.");
        }

        var import = await ImportMapping.Visible(db).AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (import is null)
        {
            return Problems.NotFound("import");
        }

        if (import.FileDeleted || !File.Exists(storage.FileOf(import.Id)))
        {
            return Problems.Conflict("file", "The import's file has been deleted (30 days after upload, or on revert).");
        }

        try
        {
            return TypedResults.Ok(await previewer.PreviewAsync(import, limit ?? 20, cancellationToken));
        }
        catch (UnreadableFileException e)
        {
            return Problems.Validation("file", e.Message);
        }
    }
}
