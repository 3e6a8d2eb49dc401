namespace Aida.Features.Interactions.Notes;

/// <summary>A customer's notes the actor may read: pinned first, then newest first.</summary>
public static class ListNotes
{
    public static async Task<Results<Ok<Page<NoteResponse>>, ValidationProblem>> Handle(
        Guid? customerId, int? limit, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        if (customerId is null)
        {
            errors.Add("customerId", "Is required: notes are listed per customer.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var notes = await db.Set<Note>().AsNoTracking().Where(n => n.CustomerId == customerId)
            .OrderByDescending(n => n.IsPinned).ThenByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Take(take).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<NoteResponse>(notes.Select(n => n.ToResponse()).ToList(), null));
    }
}
