namespace Aida.Platform.Data;

/// <summary>Keyset paging in creation order (oldest first), for the small lists nested under a customer.</summary>
public static class CreationOrder
{
    private const string Sort = "createdAt";

    public static async Task<Page<T>?> PageAsync<T>(IQueryable<T> query, string? cursor, int limit, CancellationToken cancellationToken)
        where T : TrackedEntity
    {
        var errors = new ValidationErrors();
        var after = Paging.DecodeCursor(cursor, Sort, 2, errors);
        if (errors.Any)
        {
            return null;
        }

        if (after is not null)
        {
            if (!long.TryParse(after[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || !Guid.TryParse(after[1], out var id))
            {
                return null;
            }

            var time = new DateTime(ticks, DateTimeKind.Utc);
            query = query.Where(e => e.CreatedAt >= time && (e.CreatedAt > time || e.Id.CompareTo(id) > 0));
        }

        var rows = await query.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit
            ? Paging.EncodeCursor(Sort, page[^1].CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture), page[^1].Id.ToString())
            : null;
        return new Page<T>(page, next);
    }
}
