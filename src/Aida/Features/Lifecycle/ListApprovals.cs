namespace Aida.Features.Lifecycle;

/// <summary>
/// <c>GET /api/v1/lifecycle/approvals</c> (lifecycle.approve): stage changes waiting for a manager (or, with
/// <c>status</c>, those already decided), oldest first, for customers in the manager's reach.
/// </summary>
public static class ListApprovals
{
    public static async Task<Results<Ok<IReadOnlyList<StageChangeRequestResponse>>, ValidationProblem>> Handle(
        string? status, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(status, db, cancellationToken)).ToOkOrInvalid();

    public static async Task<Result<IReadOnlyList<StageChangeRequestResponse>>> RunAsync(string? status, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var statuses = QueryValues.EnumList<StageChangeRequestStatus>(status, "status", errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var wanted = statuses is { Count: > 0 } ? statuses : [StageChangeRequestStatus.Pending];
        var stages = await StageCatalog.LoadAsync(db, cancellationToken);
        var requests = await db.Set<StageChangeRequest>().AsNoTracking()
            .Where(r => wanted.Contains(r.Status))
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Take(500)
            .ToListAsync(cancellationToken);
        return Result.Ok<IReadOnlyList<StageChangeRequestResponse>>(requests.Select(r => r.ToResponse(stages)).ToList());
    }
}
