using Microsoft.Extensions.Options;

namespace Aida.Features.Deals;

/// <summary>One deal with its stage history (entered, left, who moved it), effective probability, weighted value and stale flag.</summary>
public static class GetDeal
{
    public static async Task<Results<Ok<DealResponse>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, IOptions<DealOptions> options, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, options, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<DealResponse>> RunAsync(Guid id, AidaDb db, IOptions<DealOptions> options, CancellationToken cancellationToken)
    {
        var deal = await db.Set<Opportunity>().AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (deal is null)
        {
            return new Failure.NotFound("deal");
        }

        return Result.Ok(await DealMapping.ToResponseAsync(db, deal, options.Value.StaleAfterDays, cancellationToken, withHistory: true), deal.Version);
    }
}
