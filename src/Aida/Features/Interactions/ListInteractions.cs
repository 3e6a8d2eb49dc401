using System.Globalization;
using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

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
        InteractionType? interactionType = null;
        if (!string.IsNullOrEmpty(type))
        {
            if (EnumText<InteractionType>.TryParse(type, out var parsed))
            {
                interactionType = parsed;
            }
            else
            {
                errors.Add("type", "Must be one of " + string.Join(", ", EnumText<InteractionType>.AllNames) + ".");
            }
        }

        const string Sort = "-occurredAt";
        var after = Paging.DecodeCursor(cursor, Sort, 2, errors);
        (DateTime Time, Guid Id)? last = null;
        if (after is not null)
        {
            if (long.TryParse(after[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && Guid.TryParse(after[1], out var id))
            {
                last = (new DateTime(ticks, DateTimeKind.Utc), id);
            }
            else
            {
                errors.Add("cursor", "Is not a cursor returned by this list; start again without it.");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

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

        if (last is { } l)
        {
            query = query.Where(i => i.OccurredAt <= l.Time && (i.OccurredAt < l.Time || i.Id.CompareTo(l.Id) < 0));
        }

        var rows = await query.OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take
            ? Paging.EncodeCursor(Sort, rows[take - 1].OccurredAt.Ticks.ToString(CultureInfo.InvariantCulture), rows[take - 1].Id.ToString())
            : null;
        return TypedResults.Ok(new Page<InteractionResponse>(rows.Take(take).Select(i => i.ToResponse()).ToList(), next));
    }
}
