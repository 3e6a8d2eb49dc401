using Aida.Features.Deals;
using Aida.Platform.Reporting;

namespace Aida.Features.Analytics;

/// <summary>
/// <c>GET /api/v1/analytics/pipeline</c>: the open deals of one pipeline (the default unless named) per
/// stage: how many, their full value and their weighted value (value × effective probability), in one
/// currency (the most common unless named; amounts of different currencies are never added).
/// </summary>
public static class PipelineByStage
{
    public sealed record StageFigures(Guid StageId, string Code, string Name, int Position, int Probability, int Deals, decimal Value, decimal Weighted);

    public sealed record Response(Guid PipelineId, string? Currency, IReadOnlyList<CurrencyCount> Currencies, IReadOnlyList<StageFigures> Stages, int Deals, decimal Value, decimal Weighted);

    public static async Task<Results<Ok<Response>, ValidationProblem>> Handle(
        Guid? pipelineId, string? currency, Guid? ownerId, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(pipelineId, currency, ownerId, db, cancellationToken)).ToOkOrInvalid();

    /// <summary>The figures, or the parameters it cannot use (also: more open deals than a report reads, <see cref="Reports.MaxRows"/>).</summary>
    public static async Task<Result<Response>> RunAsync(Guid? pipelineId, string? currency, Guid? ownerId, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var chosenCurrency = Money.Currency(errors, "currency", currency);
        var pipeline = pipelineId ?? await db.Set<Pipeline>().Where(p => p.IsDefault).Select(p => p.Id).SingleAsync(cancellationToken);
        if (pipelineId is { } asked && !await db.Set<Pipeline>().AnyAsync(p => p.Id == asked, cancellationToken))
        {
            errors.Add("pipelineId", "No pipeline with this id exists.");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var open = db.Set<Opportunity>().AsNoTracking().Where(o => o.PipelineId == pipeline && o.Status == DealStatus.Open);
        if (ownerId is { } owner)
        {
            open = open.Where(o => o.OwnerId == owner);
        }

        var currencies = await Forecast.CurrenciesAsync(open, cancellationToken);
        var shown = chosenCurrency ?? Reports.MostCommon(currencies);
        var rows = await Reports.BoundedAsync(
            open.Where(o => o.Currency == shown).Select(o => new { o.StageId, o.Value, o.ProbabilityOverride }), errors, "pipelineId", cancellationToken);
        if (rows is null)
        {
            return errors.ToFailure();
        }

        var stages = await db.Set<PipelineStage>().AsNoTracking().Where(s => s.PipelineId == pipeline && s.Kind == StageKind.Open)
            .OrderBy(s => s.Position).ToListAsync(cancellationToken);
        var figures = stages.Select(s =>
        {
            var inStage = rows.Where(r => r.StageId == s.Id).ToList();
            return new StageFigures(s.Id, s.Code, s.Name, s.Position, s.Probability, inStage.Count, inStage.Sum(r => r.Value),
                Reports.Cents(inStage.Sum(r => Reports.Weighted(r.Value, r.ProbabilityOverride ?? s.Probability))));
        }).ToList();
        return Result.Ok(new Response(pipeline, shown, currencies, figures,
            figures.Sum(f => f.Deals), figures.Sum(f => f.Value), figures.Sum(f => f.Weighted)));
    }
}
