namespace Aida.Features.Interactions;

/// <summary>The InteractionLog: interactions newest first, by customer, contact or type and time range; keyset-paged.</summary>
public static class ListInteractions
{
    public static async Task<Results<Ok<Page<InteractionResponse>>, ValidationProblem>> Handle(
        Guid? customerId,
        Guid? contactId,
        string? type,
        DateTimeOffset? from,
        DateTimeOffset? to,
        int? limit,
        string? cursor,
        AidaDb db,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var interactionType = QueryValues.Enum<InteractionType>(type, "type", errors);
        const string Sort = "-occurredAt";
        var last = Paging.DecodeTimeCursor(cursor, Sort, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var query = Filtered(customerId, contactId, interactionType, from, to, db);
        if (last is { } l)
        {
            query = query.Where(i => i.OccurredAt <= l.Time && (i.OccurredAt < l.Time || i.Id.CompareTo(l.Id) < 0));
        }

        var rows = await query.OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take
            ? Paging.EncodeTimeCursor(Sort, rows[take - 1].OccurredAt, rows[take - 1].Id)
            : null;
        return TypedResults.Ok(new Page<InteractionResponse>(rows.Take(take).Select(i => i.ToResponse()).ToList(), next));
    }

    /// <summary>The interactions in the actor's reach that pass the list's filters (shared with the export).</summary>
    public static IQueryable<Interaction> Filtered(
        Guid? customerId, Guid? contactId, InteractionType? interactionType, DateTimeOffset? from, DateTimeOffset? to, AidaDb db)
    {
        var query = db.Set<Interaction>().AsNoTracking();
        if (customerId is not null)
        {
            query = query.Where(i => i.CustomerId == customerId);
        }

        if (contactId is not null)
        {
            query = query.Where(i => i.ContactId == contactId);
        }

        if (interactionType is not null)
        {
            query = query.Where(i => i.InteractionType == interactionType);
        }

        if (from is not null)
        {
            var start = from.Value.UtcDateTime;
            query = query.Where(i => i.OccurredAt >= start);
        }

        if (to is not null)
        {
            var end = to.Value.UtcDateTime;
            query = query.Where(i => i.OccurredAt < end);
        }

        return query;
    }
}
