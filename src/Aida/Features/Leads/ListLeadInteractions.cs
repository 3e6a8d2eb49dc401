namespace Aida.Features.Leads;

/// <summary><c>GET /api/v1/leads/{id}/interactions</c>: the lead's touches, newest first; cursor-paged.</summary>
public static class ListLeadInteractions
{
    private const string Sort = "-occurredAt";

    public static async Task<Results<Ok<Page<LeadInteractionResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var last = Paging.DecodeTimeCursor(cursor, Sort, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!await db.Set<Lead>().AnyAsync(l => l.Id == id, cancellationToken))
        {
            return Problems.NotFound("lead");
        }

        var query = db.Set<LeadInteraction>().AsNoTracking().Where(i => i.LeadId == id);
        if (last is { } l)
        {
            query = query.Where(i => i.OccurredAt <= l.Time && (i.OccurredAt < l.Time || i.Id.CompareTo(l.Id) < 0));
        }

        var rows = await query.OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take ? Paging.EncodeTimeCursor(Sort, rows[take - 1].OccurredAt, rows[take - 1].Id) : null;
        return TypedResults.Ok(new Page<LeadInteractionResponse>(rows.Take(take).Select(i => i.ToResponse()).ToList(), next));
    }
}
