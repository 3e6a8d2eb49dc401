namespace Aida.Features.Interactions.Activities;

public static class DeleteActivity
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, cancellationToken)).ToNoContent();

    public static Task<Result<Activity>> RunAsync(Guid id, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        return db.SoftDeleteAsync(db.Set<Activity>().Where(a => a.Id == id), ifMatch, "activity", "activity.deleted",
            ActivityMapping.Subject, a => new { activity = a.ToResponse(now) }, cancellationToken);
    }
}
