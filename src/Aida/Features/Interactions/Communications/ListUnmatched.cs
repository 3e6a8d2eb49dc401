namespace Aida.Features.Interactions.Communications;

/// <summary>The unmatched queue (WF-IT-002 step 4): messages no contact or customer matched, oldest first, for managers and admins to assign.</summary>
public static class ListUnmatched
{
    public static async Task<Results<Ok<Page<CommunicationResponse>>, ValidationProblem>> Handle(int? limit, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(limit, db, cancellationToken)).ToOkOrInvalid();

    public static async Task<Result<Page<CommunicationResponse>>> RunAsync(int? limit, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var messages = await db.Set<Communication>().AsNoTracking().Where(c => c.MatchStatus == MatchStatus.Unmatched)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Take(take).ToListAsync(cancellationToken);
        return Result.Ok(new Page<CommunicationResponse>(messages.Select(c => c.ToResponse()).ToList(), null));
    }
}
