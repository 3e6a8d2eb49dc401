using Aida.Features.Deals;
using Aida.Features.Leads;
using Aida.Platform.Reporting;

namespace Aida.Features.Analytics;

/// <summary>
/// <c>GET /api/v1/analytics/lead-sources?from=&amp;to=</c>: per source type, of the leads created in the range
/// the actor reaches: how many, how many converted, the conversion rate, and the revenue they brought (the
/// value of won deals opened from them), per currency since currencies are not added together.
/// </summary>
public static class LeadSources
{
    public sealed record Revenue(string Currency, decimal Amount);

    public sealed record SourceFigures(LeadSourceType SourceType, int Leads, int Converted, decimal? ConversionRate, int WonDeals, IReadOnlyList<Revenue> Revenue);

    public sealed record Response(DateOnly? From, DateOnly? To, IReadOnlyList<SourceFigures> Sources, int Leads, int Converted, decimal? ConversionRate);

    public static async Task<Results<Ok<Response>, ValidationProblem>> Handle(string? from, string? to, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var (since, until) = Reports.Range(errors, from, to);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var leads = Funnel.Created(db, since, until);
        var counts = await leads.GroupBy(l => l.SourceType)
            .Select(g => new { g.Key, Leads = g.Count(), Converted = g.Count(l => l.Status == LeadStatus.Converted) })
            .ToListAsync(cancellationToken);
        var won = await Reports.BoundedAsync(
            from o in db.Set<Opportunity>().AsNoTracking()
            join l in leads on o.LeadId equals l.Id
            where o.Status == DealStatus.Won
            select new { l.SourceType, o.Currency, o.Value },
            errors, "from", cancellationToken);
        if (won is null)
        {
            return errors.ToProblem();
        }

        var sources = Enum.GetValues<LeadSourceType>().Select(source =>
        {
            var count = counts.FirstOrDefault(c => c.Key == source);
            var deals = won.Where(w => w.SourceType == source).ToList();
            return new SourceFigures(source, count?.Leads ?? 0, count?.Converted ?? 0, Reports.Rate(count?.Converted ?? 0, count?.Leads ?? 0), deals.Count,
                deals.GroupBy(d => d.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new Revenue(g.Key, g.Sum(d => d.Value))).ToList());
        }).ToList();
        var total = sources.Sum(s => s.Leads);
        var converted = sources.Sum(s => s.Converted);
        return TypedResults.Ok(new Response(Funnel.DateOf(since), Funnel.DateOf(until, lastDay: true), sources, total, converted, Reports.Rate(converted, total)));
    }
}
