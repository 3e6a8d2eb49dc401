using Aida.Features.Customers;
using Aida.Features.Lifecycle;

namespace Aida.Features.Segments;

/// <summary>
/// <c>GET /api/v1/segments/{id}/customers?limit=&amp;cursor=</c>: the members in the viewer's reach, by customer
/// id (keyset paging stays fast at 100,000 members), each with its lifecycle stage.
/// </summary>
public static class ListSegmentCustomers
{
    private const string Sort = "id";

    public sealed record SegmentMemberResponse(Guid CustomerId, string DisplayName, CustomerType Type, CustomerStatus Status, string? StageCode, string? StageName, decimal TotalRevenue, DateTime AddedAt);

    public static async Task<Results<Ok<Page<SegmentMemberResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, limit, cursor, db, cancellationToken)).ToOk();

    public static async Task<Result<Page<SegmentMemberResponse>>> RunAsync(Guid id, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var after = Paging.DecodeCursor(cursor, Sort, 1, errors);
        Guid? afterId = null;
        if (after is not null)
        {
            if (Guid.TryParse(after[0], out var parsed))
            {
                afterId = parsed;
            }
            else
            {
                errors.Add("cursor", "Is not a cursor returned by this list.");
            }
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (!await db.Set<Segment>().AnyAsync(s => s.Id == id, cancellationToken))
        {
            return new Failure.NotFound("segment");
        }

        var rows = await Page(db, id, afterId, take + 1, cancellationToken);
        var next = rows.Count > take ? Paging.EncodeCursor(Sort, rows[take - 1].CustomerId.ToString()) : null;
        return Result.Ok(new Page<SegmentMemberResponse>(rows.Take(take).ToList(), next));
    }

    /// <summary>Members in reach after <paramref name="afterId"/>, in id order (also the export's batches).</summary>
    public static Task<List<SegmentMemberResponse>> Page(AidaDb db, Guid segmentId, Guid? afterId, int take, CancellationToken cancellationToken)
    {
        var members = db.Set<SegmentMember>().Where(m => m.SegmentId == segmentId);
        if (afterId is not null)
        {
            members = members.Where(m => m.CustomerId.CompareTo(afterId.Value) > 0);
        }

        return (from m in members
                join c in db.Set<Customer>() on m.CustomerId equals c.Id
                join l in db.Set<CustomerLifecycle>() on c.Id equals l.Id into lifecycles
                from l in lifecycles.DefaultIfEmpty()
                join s in db.Set<LifecycleStage>() on l.CurrentStageId equals s.Id into stages
                from s in stages.DefaultIfEmpty()
                orderby m.CustomerId
                select new SegmentMemberResponse(c.Id, c.DisplayName, c.Type, c.Status, s.Code, s.Name, l == null ? 0m : l.TotalRevenue, m.AddedAt))
            .AsNoTracking().Take(take).ToListAsync(cancellationToken);
    }
}
