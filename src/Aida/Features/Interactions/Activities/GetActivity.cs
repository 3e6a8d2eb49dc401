namespace Aida.Features.Interactions.Activities;

public static class GetActivity
{
    public static async Task<Results<Ok<ActivityResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<ActivityResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var activity = await db.Set<Activity>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        return activity is null
            ? new Failure.NotFound("activity")
            : Result.Ok(activity.ToResponse(db.Clock.UtcNow()), activity.Version);
    }
}
