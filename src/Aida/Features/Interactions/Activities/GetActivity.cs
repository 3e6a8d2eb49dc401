namespace Aida.Features.Interactions.Activities;

public static class GetActivity
{
    public static async Task<Results<Ok<ActivityResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static Task<Result<ActivityResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        db.Set<Activity>().AsNoTracking().Where(a => a.Id == id).FindAsync("activity", a => a.ToResponse(db.Clock.UtcNow()), cancellationToken);
}
