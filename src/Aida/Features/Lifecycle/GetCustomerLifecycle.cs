namespace Aida.Features.Lifecycle;

/// <summary>
/// <c>GET /api/v1/customers/{id}/lifecycle</c> (spec 004): the customer's stage, since when, where it was
/// before, its purchase figures, the moves its stage allows, and a move waiting for approval if any.
/// </summary>
public static class GetCustomerLifecycle
{
    public static async Task<Results<Ok<CustomerLifecycleResponse>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<CustomerLifecycleResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var lifecycle = await db.Set<CustomerLifecycle>().AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lifecycle is null)
        {
            return new Failure.NotFound("customer");
        }

        var stages = await StageCatalog.LoadAsync(db, cancellationToken);
        return Result.Ok(await ResponseAsync(db, stages, lifecycle, cancellationToken), lifecycle.Version);
    }

    public static async Task<CustomerLifecycleResponse> ResponseAsync(AidaDb db, StageCatalog stages, CustomerLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var pending = await db.Set<StageChangeRequest>().AsNoTracking()
            .FirstOrDefaultAsync(r => r.CustomerId == lifecycle.Id && r.Status == StageChangeRequestStatus.Pending, cancellationToken);
        var now = db.Clock.UtcNow();
        return new CustomerLifecycleResponse(
            lifecycle.Id,
            stages.Summary(lifecycle.CurrentStageId),
            lifecycle.EnteredStageAt,
            Math.Max(0, (int)(now - lifecycle.EnteredStageAt).TotalDays),
            lifecycle.PreviousStageId is { } previous ? stages.Summary(previous) : null,
            lifecycle.FirstPurchaseDate,
            lifecycle.LastPurchaseDate,
            lifecycle.TotalRevenue,
            lifecycle.PurchaseCount,
            stages.MovesFrom(lifecycle.CurrentStageId),
            pending?.ToResponse(stages),
            lifecycle.UpdatedAt,
            lifecycle.Version);
    }
}
