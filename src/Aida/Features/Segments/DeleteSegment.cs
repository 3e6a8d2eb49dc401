namespace Aida.Features.Segments;

/// <summary>
/// <c>DELETE /api/v1/segments/{id}</c> (segments.manage, If-Match): soft-deletes the segment. Refused (409)
/// while another segment's criteria name it, since they would silently change meaning.
/// </summary>
public static class DeleteSegment
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, cancellationToken)).ToNoContent();

    public static async Task<Result<Segment>> RunAsync(Guid id, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var others = await db.Set<Segment>().AsNoTracking().Where(s => s.Id != id && s.Criteria != null).Select(s => new { s.Name, s.Criteria }).ToListAsync(cancellationToken);
        var usedBy = others.Where(s => SegmentCriteria.ParseStored(s.Criteria!).ReferencedSegments.Contains(id)).Select(s => s.Name).ToList();
        if (usedBy.Count > 0 && await db.Set<Segment>().AnyAsync(s => s.Id == id, cancellationToken))
        {
            return new Failure.Conflict("id", $"Segment{(usedBy.Count == 1 ? "" : "s")} {string.Join(", ", usedBy.Select(n => $"\"{n}\""))} refer{(usedBy.Count == 1 ? "s" : "")} to this one; change {(usedBy.Count == 1 ? "it" : "them")} first.");
        }

        var result = await db.SoftDeleteAsync(db.Set<Segment>().Where(s => s.Id == id), ifMatch, "segment",
            "segment.deleted", s => SegmentMapping.Subject(s.Id), s => new { segmentId = s.Id, s.Name }, cancellationToken);
        if (result.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }
}
