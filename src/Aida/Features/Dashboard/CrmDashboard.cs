using Aida.Features.Analytics;
using Aida.Features.Customers;
using Aida.Features.Deals;
using Aida.Features.Interactions.Activities;
using Aida.Features.Leads;
using Aida.Platform.Audit;
using Aida.Platform.Reporting;

namespace Aida.Features.Dashboard;

/// <summary>The calendar period the dashboard's period figures cover: the current day, week (Monday first), month, quarter or year.</summary>
public enum DashboardPeriod
{
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

/// <summary>
/// The CRM dashboard (spec 004 <c>CRMDashboard</c>, issue 18 item 6): what the signed-in user needs at the start of
/// a day, over what they may see. Their own activities due today and overdue; leads new in the period, converted
/// from those, unassigned and their own; the open pipeline by stage; the period's expected and won deals; the
/// latest changes on the customers they own. Every figure is a query in the actor's reach (the record filters
/// apply as they do to the lists each figure links to), so a rep sees their slice and an administrator the whole.
/// The period is a calendar period in the user's time zone, containing today.
/// </summary>
public static class CrmDashboard
{
    /// <summary>How many of the next activities, and of the latest changes, are listed.</summary>
    public const int ListedItems = 8;

    /// <summary>How far back "recent changes" looks: bounds the audit rows read on a busy server.</summary>
    public static readonly TimeSpan RecentChangesWindow = TimeSpan.FromDays(30);

    /// <param name="From">First day of the period (the user's calendar).</param>
    /// <param name="To">Last day of the period, inclusive.</param>
    /// <param name="Since">The period's start as a UTC instant.</param>
    /// <param name="Until">The instant the period ends (exclusive), UTC.</param>
    public sealed record Period(DashboardPeriod Name, DateOnly From, DateOnly To, DateTime Since, DateTime Until, string TimeZone);

    public sealed record ActivityFigures(int Overdue, int DueToday, IReadOnlyList<ActivityResponse> Next);

    /// <param name="New">Leads created in the period.</param>
    /// <param name="Converted">Of those, converted by now.</param>
    /// <param name="ConversionRate">Converted / new, to four places; null when no lead came in.</param>
    /// <param name="Unassigned">Active leads nobody is working, whenever they came in; null for a viewer who cannot see the unassigned pool (reps).</param>
    /// <param name="Mine">Active leads assigned to the user.</param>
    public sealed record LeadFigures(int New, int Converted, decimal? ConversionRate, int? Unassigned, int Mine);

    /// <param name="ExpectedDeals">Open deals expected to close in the period.</param>
    /// <param name="BestCase">Their full value.</param>
    /// <param name="Weighted">Their value × effective probability.</param>
    /// <param name="Commit">The value of those at or above <see cref="Forecast.CommitProbability"/>%.</param>
    /// <param name="WonDeals">Deals won in the period.</param>
    /// <param name="ClosedWon">Their value.</param>
    public sealed record ForecastFigures(
        string? Currency, IReadOnlyList<CurrencyCount> Currencies, int ExpectedDeals, decimal BestCase, decimal Weighted, decimal Commit, int WonDeals, decimal ClosedWon);

    public sealed record CustomerChange(DateTime OccurredAt, Guid CustomerId, string CustomerName, string EntityType, AuditAction Action, string ActorName);

    /// <param name="Scope"><c>owned</c>: customers the user owns; <c>reach</c>: the user owns none, so every customer they may see.</param>
    public sealed record RecentChanges(string Scope, IReadOnlyList<CustomerChange> Items);

    /// <param name="Leads">Null without <c>leads.view</c>, as are the pipeline and the forecast.</param>
    /// <param name="Unavailable">Figures that could not be worked out, with why (e.g. more deals than a report reads).</param>
    public sealed record Response(
        Period Period,
        ActivityFigures Activities,
        LeadFigures? Leads,
        PipelineByStage.Response? Pipeline,
        ForecastFigures? Forecast,
        RecentChanges Changes,
        IReadOnlyDictionary<string, string> Unavailable);

    public static async Task<Results<Ok<Response>, ValidationProblem>> Handle(string? period, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(period, db, cancellationToken)).ToOkOrInvalid();

    public static async Task<Result<Response>> RunAsync(string? period, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = QueryValues.Enum<DashboardPeriod>(period, "period", errors) ?? DashboardPeriod.Month;
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var now = db.Clock.UtcNow();
        var zone = await FollowUpDraft.ZoneAsync(db, cancellationToken);
        var range = PeriodOf(name, now, zone);
        var unavailable = new Dictionary<string, string>(StringComparer.Ordinal);
        var activities = await ActivitiesAsync(db, now, cancellationToken);

        LeadFigures? leads = null;
        PipelineByStage.Response? pipeline = null;
        ForecastFigures? forecast = null;
        if (db.Operation.Access.Can(Permissions.LeadsView))
        {
            leads = await LeadsAsync(db, range, cancellationToken);
            var open = await PipelineByStage.RunAsync(null, null, null, db, cancellationToken);
            pipeline = open.Value;
            if (open.Failure is { } failure)
            {
                unavailable["pipeline"] = string.Join(" ", failure.FieldErrors?.Values.SelectMany(m => m) ?? []);
            }

            forecast = await ForecastAsync(db, range, unavailable, cancellationToken);
        }

        var changes = await RecentChangesAsync(db, now, cancellationToken);
        return Result.Ok(new Response(range, activities, leads, pipeline, forecast, changes, unavailable));
    }

    /// <summary>The calendar period of <paramref name="name"/> that contains today in <paramref name="zone"/>.</summary>
    public static Period PeriodOf(DashboardPeriod name, DateTime now, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone));
        var from = name switch
        {
            DashboardPeriod.Day => today,
            DashboardPeriod.Week => today.AddDays(-(((int)today.DayOfWeek + 6) % 7)),
            DashboardPeriod.Month => new DateOnly(today.Year, today.Month, 1),
            DashboardPeriod.Quarter => new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1),
            _ => new DateOnly(today.Year, 1, 1),
        };
        var next = name switch
        {
            DashboardPeriod.Day => from.AddDays(1),
            DashboardPeriod.Week => from.AddDays(7),
            DashboardPeriod.Month => from.AddMonths(1),
            DashboardPeriod.Quarter => from.AddMonths(3),
            _ => from.AddYears(1),
        };
        return new Period(name, from, next.AddDays(-1), StartOfDay(from, zone), StartOfDay(next, zone), zone.Id);
    }

    /// <summary>Midnight of <paramref name="day"/> in <paramref name="zone"/> as UTC; where a clock change skips midnight, the first hour that exists.</summary>
    private static DateTime StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>The user's own open activities: overdue and due later today, as the MyActivities screen splits them.</summary>
    private static async Task<ActivityFigures> ActivitiesAsync(AidaDb db, DateTime now, CancellationToken cancellationToken)
    {
        var me = db.Operation.ActorId;
        var (_, endOfToday) = await ListActivities.TodayAsync(db, now, cancellationToken);
        var open = db.Set<Activity>().AsNoTracking()
            .Where(a => a.AssignedTo == me && (a.Status == ActivityStatus.Pending || a.Status == ActivityStatus.InProgress));
        var overdue = await open.CountAsync(a => a.DueDate < now, cancellationToken);
        var today = await open.CountAsync(a => a.DueDate >= now && a.DueDate < endOfToday, cancellationToken);
        var next = await open.Where(a => a.DueDate < endOfToday).OrderBy(a => a.DueDate).ThenBy(a => a.Id).Take(ListedItems).ToListAsync(cancellationToken);
        return new ActivityFigures(overdue, today, next.Select(a => a.ToResponse(now)).ToList());
    }

    private static async Task<LeadFigures> LeadsAsync(AidaDb db, Period period, CancellationToken cancellationToken)
    {
        var me = db.Operation.ActorId;
        var created = Funnel.Created(db, period.Since, period.Until);
        var count = await created.CountAsync(cancellationToken);
        var converted = await created.CountAsync(l => l.Status == LeadStatus.Converted, cancellationToken);
        var active = db.Set<Lead>().AsNoTracking().Where(l => l.Status == LeadStatus.Active);
        int? unassigned = db.ReachesUnassigned ? await active.CountAsync(l => l.AssignedTo == null, cancellationToken) : null;
        var mine = await active.CountAsync(l => l.AssignedTo == me, cancellationToken);
        return new LeadFigures(count, converted, Reports.Rate(converted, count), unassigned, mine);
    }

    private sealed record DealRow(DealStatus Status, decimal Value, int Probability);

    /// <summary>Open deals expected to close in the period against the deals won in it, in the most common currency among them.</summary>
    private static async Task<ForecastFigures?> ForecastAsync(AidaDb db, Period period, Dictionary<string, string> unavailable, CancellationToken cancellationToken)
    {
        var (from, to, since, until) = (period.From, period.To, period.Since, period.Until);
        var inPeriod = db.Set<Opportunity>().AsNoTracking().Where(o =>
            (o.Status == DealStatus.Open && o.ExpectedCloseOn >= from && o.ExpectedCloseOn <= to)
            || (o.Status == DealStatus.Won && o.ClosedAt >= since && o.ClosedAt < until));
        var currencies = await Forecast.CurrenciesAsync(inPeriod, cancellationToken);
        var currency = Reports.MostCommon(currencies);
        var errors = new ValidationErrors();
        var rows = await Reports.BoundedAsync(
            from o in inPeriod.Where(o => o.Currency == currency)
            join s in db.Set<PipelineStage>() on o.StageId equals s.Id
            select new DealRow(o.Status, o.Value, o.ProbabilityOverride ?? s.Probability),
            errors, "forecast", cancellationToken);
        if (rows is null)
        {
            unavailable["forecast"] = string.Join(" ", errors.ToDictionary().Values.SelectMany(m => m));
            return null;
        }

        var open = rows.Where(r => r.Status == DealStatus.Open).ToList();
        var won = rows.Where(r => r.Status == DealStatus.Won).ToList();
        return new ForecastFigures(
            currency,
            currencies,
            open.Count,
            open.Sum(r => r.Value),
            Reports.Cents(open.Sum(r => Reports.Weighted(r.Value, r.Probability))),
            open.Where(r => r.Probability >= Forecast.CommitProbability).Sum(r => r.Value),
            won.Count,
            won.Sum(r => r.Value));
    }

    /// <summary>
    /// The latest audited changes on the customers the user owns — made by anyone, the user included — within
    /// <see cref="RecentChangesWindow"/>. A user who owns none (an administrator, a manager) sees the latest changes in
    /// their reach instead, and the response says which.
    /// </summary>
    private static async Task<RecentChanges> RecentChangesAsync(AidaDb db, DateTime now, CancellationToken cancellationToken)
    {
        var me = db.Operation.ActorId;
        var owned = db.Set<Customer>().Where(c => c.OwnerId == me);
        var ownsAny = await owned.AnyAsync(cancellationToken);
        var customers = ownsAny ? owned : db.Set<Customer>();
        var since = now - RecentChangesWindow;
        var rows = await (
                from a in db.Set<AuditEntry>().AsNoTracking()
                join c in customers on a.CustomerId equals (Guid?)c.Id
                where a.OccurredAt >= since
                orderby a.OccurredAt descending, a.Id descending
                select new CustomerChange(a.OccurredAt, c.Id, c.DisplayName, a.EntityType, a.Action, a.ActorName))
            .Take(ListedItems).ToListAsync(cancellationToken);
        return new RecentChanges(ownsAny ? "owned" : "reach", rows);
    }
}
