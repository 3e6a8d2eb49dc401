using Aida.Features.Customers;

namespace Aida.Features.Lifecycle;

/// <summary>
/// <c>GET /api/v1/lifecycle/stages/{id}/customers</c>: the customers in the caller's reach who are in a stage,
/// the longest there first — the ones a board column most needs to show. Keyset-paged on (entered, id).
/// </summary>
public sealed record StageCustomer(Guid CustomerId, string DisplayName, Guid? OwnerId, DateTime EnteredStageAt, int DaysInStage);

public static class ListStageCustomers
{
    private const string Sort = "enteredStageAt";

    public static async Task<Results<Ok<Page<StageCustomer>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, limit, cursor, db, cancellationToken)).ToOk();

    public static async Task<Result<Page<StageCustomer>>> RunAsync(Guid stageId, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var last = Paging.DecodeTimeCursor(cursor, Sort, errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (!await db.Set<LifecycleStage>().AnyAsync(s => s.Id == stageId, cancellationToken))
        {
            return new Failure.NotFound("lifecycle stage");
        }

        var query = db.Set<CustomerLifecycle>().AsNoTracking().Where(l => l.CurrentStageId == stageId);
        if (last is { } l)
        {
            query = query.Where(x => x.EnteredStageAt >= l.Time && (x.EnteredStageAt > l.Time || x.Id.CompareTo(l.Id) > 0));
        }

        var rows = await query
            .Join(db.Set<Customer>(), x => x.Id, c => c.Id, (x, c) => new { x.Id, c.DisplayName, c.OwnerId, x.EnteredStageAt })
            .OrderBy(r => r.EnteredStageAt).ThenBy(r => r.Id).Take(take + 1)
            .ToListAsync(cancellationToken);
        var now = db.Clock.UtcNow();
        var next = rows.Count > take ? Paging.EncodeTimeCursor(Sort, rows[take - 1].EnteredStageAt, rows[take - 1].Id) : null;
        return Result.Ok(new Page<StageCustomer>(
            rows.Take(take).Select(r => new StageCustomer(r.Id, r.DisplayName, r.OwnerId, r.EnteredStageAt, (int)(now - r.EnteredStageAt).TotalDays)).ToList(),
            next));
    }
}
