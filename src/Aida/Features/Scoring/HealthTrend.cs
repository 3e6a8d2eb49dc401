using Aida.Features.Customers;

namespace Aida.Features.Scoring;

/// <summary>
/// The HealthDashboard's figures, within the viewer's reach (a customer out of reach is neither shown nor
/// counted): health by grade now, the at-risk list (health below the alert threshold, worst first, paged),
/// and the trend — the daily per-owner, per-grade snapshots a completed full run writes, summed over the
/// owners the viewer reaches.
/// </summary>
public static class HealthTrend
{
    public const int TrendDays = 30;

    /// <summary>Replaces <paramref name="day"/>'s snapshot with the current health grades per owner, from the kept counts (<see cref="HealthGradeCount"/>).</summary>
    public static async Task SnapshotAsync(AidaDb db, DateOnly day, CancellationToken cancellationToken)
    {
        var counts = await db.Set<HealthGradeCount>().AsNoTracking()
            .GroupBy(c => new { c.OwnerId, c.Grade })
            .Select(g => new { g.Key.OwnerId, g.Key.Grade, Count = g.Sum(c => c.Customers) })
            .ToListAsync(cancellationToken);
        await db.Set<HealthSnapshot>().Where(s => s.Day == day).ExecuteDeleteAsync(cancellationToken);
        db.AddRange(counts.Where(c => c.Count != 0)
            .Select(c => new HealthSnapshot { Day = day, OwnerId = c.OwnerId, Grade = c.Grade, CustomerCount = c.Count }));
    }

    /// <summary>
    /// Health scores of the customers the viewer reaches. Someone who reaches every customer reads the scores
    /// alone: a deleted customer's scores are dropped when it is deleted (the rescoring queue) and by every
    /// full run, so no live-customer check is needed per row. Anyone else is read from their customers: the
    /// owners they reach (themselves, teammates, members of teams they manage — the rule of
    /// Features/Customers/CustomerAccess) pick the customers by the owner index, the customers' own reach
    /// filter still applies, and each customer's health is one probe of the unique (customer, type) index —
    /// instead of checking reach for every scored customer.
    /// </summary>
    public static IQueryable<CustomerScore> HealthInReach(AidaDb db, OwnerReach reach)
    {
        var health = db.Set<CustomerScore>().AsNoTracking().Where(s => s.ScoreType == ScoreType.Health);
        if (reach.All)
        {
            return health;
        }

        var owners = reach.Owners;
        var customers = reach.Unassigned
            ? db.Set<Customer>().Where(c => c.OwnerId == null || owners.Contains(c.OwnerId))
            : db.Set<Customer>().Where(c => owners.Contains(c.OwnerId));
        return customers.Join(health, c => c.Id, s => s.CustomerId, (c, s) => s);
    }

    public static async Task<HealthDashboardResponse> RunAsync(AidaDb db, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var rules = await ScoringRules.LoadAsync(db, cancellationToken);
        var now = db.Clock.UtcNow();
        var reach = await CustomerAccess.OwnersInReachAsync(db, cancellationToken);
        var health = HealthInReach(db, reach);

        // The distribution is kept as scores change (HealthGradeCount): a few rows per owner and grade, not every score.
        var grades = await reach.Filter(db.Set<HealthGradeCount>().AsNoTracking(), c => c.OwnerId)
            .GroupBy(c => new { c.Grade, c.InsufficientData })
            .Select(g => new { g.Key.Grade, g.Key.InsufficientData, Customers = g.Sum(c => c.Customers) })
            .ToListAsync(cancellationToken);
        var distribution = ScoreFormulas.Grades
            .Select(g => new GradeCountResponse(g.Grade, g.Min, g.Max, grades.Where(x => x.Grade == g.Grade).Sum(x => x.Customers)))
            .ToList();
        var insufficient = grades.Where(x => x.InsufficientData).Sum(x => x.Customers);
        // Stale health is rare (a full run rewrites every score daily): the partial index on its calculated_at holds only the stale rows' range to read.
        var staleBefore = now - CustomerScore.StaleAfter;
        var stale = await health.CountAsync(s => s.CalculatedAt < staleBefore, cancellationToken);

        // The at-risk list: below the alert threshold, worst first; keyset paging on (score, customer id).
        var atRisk = health.Where(s => s.ScoreValue < rules.AlertBelow && !s.InsufficientData);
        if (AtRiskCursor.TryParse(cursor, out var afterValue, out var afterId))
        {
            atRisk = atRisk.Where(s => s.ScoreValue > afterValue || (s.ScoreValue == afterValue && s.CustomerId.CompareTo(afterId) > 0));
        }

        var page = await atRisk.OrderBy(s => s.ScoreValue).ThenBy(s => s.CustomerId).Take(limit + 1)
            // The reach-filtered set: IgnoreQueryFilters (CustomerAccess.All) anywhere in a query lifts every filter of it.
            .Join(db.Set<Customer>(), s => s.CustomerId, c => c.Id, (s, c) => new { s.CustomerId, c.DisplayName, c.OwnerId, s.ScoreValue, s.Grade, s.CalculatedAt })
            .ToListAsync(cancellationToken);
        page = page.OrderBy(p => p.ScoreValue).ThenBy(p => p.CustomerId).ToList();
        var next = page.Count > limit ? AtRiskCursor.Format(page[limit - 1].ScoreValue, page[limit - 1].CustomerId) : null;
        var items = page.Take(limit)
            .Select(p => new AtRiskCustomerResponse(p.CustomerId, p.DisplayName, p.OwnerId, p.ScoreValue, p.Grade, p.CalculatedAt, now - p.CalculatedAt > CustomerScore.StaleAfter))
            .ToList();

        var from = DateOnly.FromDateTime(now).AddDays(-TrendDays);
        var trend = (await reach.Filter(db.Set<HealthSnapshot>().AsNoTracking(), s => s.OwnerId).Where(s => s.Day > from)
                .GroupBy(s => new { s.Day, s.Grade })
                .Select(g => new { g.Key.Day, g.Key.Grade, Count = g.Sum(s => s.CustomerCount) })
                .ToListAsync(cancellationToken))
            .GroupBy(x => x.Day).OrderBy(g => g.Key)
            .Select(g => new HealthTrendDayResponse(g.Key, ScoreFormulas.Grades.Select(x => g.Where(d => d.Grade == x.Grade).Sum(d => d.Count)).ToList()))
            .ToList();

        return new HealthDashboardResponse(distribution, distribution.Sum(d => d.Customers), stale, insufficient, rules.AlertBelow, items, next, trend);
    }
}

/// <summary>The at-risk list's cursor: "score:customerId".</summary>
internal static class AtRiskCursor
{
    public static string Format(int value, Guid id) => value.ToString(CultureInfo.InvariantCulture) + ":" + id.ToString();

    public static bool TryParse(string? text, out int value, out Guid id)
    {
        value = 0;
        id = Guid.Empty;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0
            && int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && Guid.TryParse(text.AsSpan(colon + 1), out id);
    }
}

public sealed record GradeCountResponse(string Grade, int Min, int Max, int Customers);

public sealed record AtRiskCustomerResponse(Guid CustomerId, string DisplayName, Guid? OwnerId, int Health, string Grade, DateTime CalculatedAt, bool IsStale);

/// <summary>One day of the trend: customers per grade, A to F.</summary>
public sealed record HealthTrendDayResponse(DateOnly Day, IReadOnlyList<int> Grades);

public sealed record HealthDashboardResponse(
    IReadOnlyList<GradeCountResponse> Distribution,
    int Scored,
    int Stale,
    int InsufficientData,
    int AlertBelow,
    IReadOnlyList<AtRiskCustomerResponse> AtRisk,
    string? NextCursor,
    IReadOnlyList<HealthTrendDayResponse> Trend);
