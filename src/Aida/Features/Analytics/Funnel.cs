using Aida.Features.Deals;
using Aida.Features.Leads;
using Aida.Platform.Reporting;

namespace Aida.Features.Analytics;

/// <summary>
/// <c>GET /api/v1/analytics/funnel?from=&amp;to=</c>: of the leads created in the range the actor reaches, how
/// many got how far: captured → connected → qualified → converted → won. Each step counts the leads that
/// reached at least it, so the funnel never widens: a lead converted without a logged outbound touch was
/// still connected and qualified. Won: a deal opened from the lead was won.
/// </summary>
public static class Funnel
{
    public sealed record Step(string Name, int Leads, decimal? FromPrevious, decimal? FromCaptured);

    public sealed record Response(DateOnly? From, DateOnly? To, IReadOnlyList<Step> Steps);

    public static async Task<Results<Ok<Response>, ValidationProblem>> Handle(string? from, string? to, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var (since, until) = Reports.Range(errors, from, to);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var leads = Created(db, since, until);
        var deals = db.Set<Opportunity>();
        int[] counts =
        [
            await leads.CountAsync(cancellationToken),
            await leads.CountAsync(l => l.ConnectedAt != null || l.QualificationStatus == QualificationStatus.Qualified || l.Status == LeadStatus.Converted, cancellationToken),
            await leads.CountAsync(l => l.QualificationStatus == QualificationStatus.Qualified || l.Status == LeadStatus.Converted, cancellationToken),
            await leads.CountAsync(l => l.Status == LeadStatus.Converted, cancellationToken),
            await leads.CountAsync(l => l.Status == LeadStatus.Converted && deals.Any(o => o.LeadId == l.Id && o.Status == DealStatus.Won), cancellationToken),
        ];
        string[] names = ["captured", "connected", "qualified", "converted", "won"];
        var steps = names.Select((name, i) => new Step(name, counts[i], i == 0 ? null : Reports.Rate(counts[i], counts[i - 1]), i == 0 ? null : Reports.Rate(counts[i], counts[0]))).ToList();
        return TypedResults.Ok(new Response(DateOf(since), DateOf(until, lastDay: true), steps));
    }

    /// <summary>The leads the actor reaches created in [since, until).</summary>
    public static IQueryable<Lead> Created(AidaDb db, DateTime? since, DateTime? until)
    {
        var leads = db.Set<Lead>().AsNoTracking();
        if (since is { } s)
        {
            leads = leads.Where(l => l.CreatedAt >= s);
        }

        if (until is { } u)
        {
            leads = leads.Where(l => l.CreatedAt < u);
        }

        return leads;
    }

    public static DateOnly? DateOf(DateTime? time, bool lastDay = false) =>
        time is { } t ? DateOnly.FromDateTime(t).AddDays(lastDay ? -1 : 0) : null;
}
