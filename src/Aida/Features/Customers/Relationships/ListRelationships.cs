namespace Aida.Features.Customers.Relationships;

/// <summary>A customer's relationships in both directions: where it is "from" and where it is "to".</summary>
public static class ListRelationships
{
    public static async Task<Results<Ok<Page<RelationshipResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId, string? type, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(customerId, type, limit, cursor, db, cancellationToken)).ToOk();

    public static async Task<Result<Page<RelationshipResponse>>> RunAsync(
        Guid customerId, string? type, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var types = QueryValues.EnumList<RelationshipType>(type, "type", errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (!await db.Set<Customer>().AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return new Failure.NotFound("customer");
        }

        var query = db.Set<Relationship>().AsNoTracking().Where(r => r.FromCustomerId == customerId || r.ToCustomerId == customerId);
        if (types is { Count: > 0 })
        {
            query = query.Where(r => types.Contains(r.RelationshipType));
        }

        var page = await CreationOrder.PageAsync(query, cursor, take, cancellationToken);
        return page is null
            ? new Failure.Invalid("cursor", "Is not a cursor returned by this list; start again without it.")
            : Result.Ok(new Page<RelationshipResponse>(page.Items.Select(r => r.ToResponse()).ToList(), page.NextCursor));
    }
}
