namespace Aida.Features.Interactions.Communications;

/// <summary>The messages of a thread the actor may see, oldest first (EmailViewer's threading).</summary>
public static class GetThread
{
    public const int MaxMessages = 500;

    public static async Task<Results<Ok<Page<CommunicationResponse>>, ProblemHttpResult>> Handle(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var thread = await db.Set<Communication>().Where(c => c.Id == id).Select(c => c.ThreadId).FirstOrDefaultAsync(cancellationToken);
        if (thread is null)
        {
            return Problems.NotFound("communication");
        }

        var messages = await db.Set<Communication>().AsNoTracking().Where(c => c.ThreadId == thread)
            .OrderBy(c => c.SentAt).ThenBy(c => c.Id).Take(MaxMessages).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<CommunicationResponse>(messages.Select(c => c.ToResponse()).ToList(), null));
    }
}
