using Aida.Features.Customers;

namespace Aida.Features.Scoring;

/// <summary>
/// <c>GET /api/v1/customers/{id}/scores</c>: the customer's five scores with their factor breakdown, grade,
/// and whether each is stale (older than 7 days) or a default for want of data. 404 out of reach. A customer
/// not scored yet has no scores (the next run or a recalculation gives them).
/// </summary>
public static class GetCustomerScores
{
    public static async Task<Results<Ok<CustomerScoresResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<CustomerScoresResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        if (!await db.Set<Customer>().AnyAsync(c => c.Id == id, cancellationToken))
        {
            return new Failure.NotFound("customer");
        }

        return Result.Ok(await ResponseAsync(db, id, cancellationToken));
    }

    public static async Task<CustomerScoresResponse> ResponseAsync(AidaDb db, Guid id, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        var scores = await db.Set<CustomerScore>().AsNoTracking().Where(s => s.CustomerId == id).ToListAsync(cancellationToken);
        return new CustomerScoresResponse(id, scores.OrderBy(s => s.ScoreType).Select(s => s.ToResponse(now)).ToList());
    }
}

/// <summary><c>POST /api/v1/customers/{id}/scores/recalculate</c>: recalculate the customer's scores now (threshold crossings included).</summary>
public static class RecalculateCustomerScores
{
    public static async Task<Results<Ok<CustomerScoresResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<CustomerScoresResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        if (!await db.Set<Customer>().AnyAsync(c => c.Id == id, cancellationToken))
        {
            return new Failure.NotFound("customer");
        }

        await ScoringEngine.RecalculateAsync(db, id, cancellationToken);
        return Result.Ok(await GetCustomerScores.ResponseAsync(db, id, cancellationToken));
    }
}
