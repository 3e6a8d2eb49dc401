using Aida.Features.Leads;
using Aida.Platform.Export;

namespace Aida.Features.Exports;

/// <summary><c>GET /api/v1/exports/leads</c>: the lead list, as it is filtered, as a file.</summary>
public static class ExportLeads
{
    public sealed record Query(
        string? Format,
        string? Status,
        string? QualificationStatus,
        string? AssignedTo,
        string? SourceType,
        int? MinScore,
        string? Q,
        string? CreatedFrom,
        string? CreatedTo);

    public static readonly IReadOnlyList<ExportColumn<Lead>> Columns =
    [
        new("id", l => l.Id),
        new("firstName", l => l.FirstName),
        new("lastName", l => l.LastName),
        new("email", l => l.Email),
        new("phone", l => l.Phone),
        new("company", l => l.Company),
        new("jobTitle", l => l.JobTitle),
        new("country", l => l.Country),
        new("sourceType", l => EnumText<LeadSourceType>.ToText(l.SourceType)),
        new("sourceDetail", l => l.SourceDetail),
        new("utmSource", l => l.UtmSource),
        new("utmMedium", l => l.UtmMedium),
        new("utmCampaign", l => l.UtmCampaign),
        new("score", l => l.Score),
        new("qualificationStatus", l => EnumText<QualificationStatus>.ToText(l.QualificationStatus)),
        new("status", l => EnumText<LeadStatus>.ToText(l.Status)),
        new("assignedTo", l => l.AssignedTo),
        new("budgetAmount", l => l.BudgetAmount),
        new("budgetCurrency", l => l.BudgetCurrency),
        new("lastContactAt", l => l.LastContactAt),
        new("nextFollowUpAt", l => l.NextFollowUpAt),
        new("convertedCustomerId", l => l.ConvertedCustomerId),
        new("convertedAt", l => l.ConvertedAt),
        new("createdAt", l => l.CreatedAt),
        new("updatedAt", l => l.UpdatedAt),
    ];

    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> Handle([AsParameters] Query query, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var format = ExportFormats.Parse(query.Format, errors);
        var leads = ListLeads.Filtered(
            new ListLeads.Filters(query.Status, query.QualificationStatus, query.AssignedTo, query.SourceType, query.MinScore, query.Q, query.CreatedFrom, query.CreatedTo),
            db, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var audited = ExportFilters.Of(("status", query.Status), ("qualificationStatus", query.QualificationStatus), ("assignedTo", query.AssignedTo),
            ("sourceType", query.SourceType), ("minScore", query.MinScore), ("q", query.Q), ("createdFrom", query.CreatedFrom), ("createdTo", query.CreatedTo));
        return await StreamedExport.CreateAsync(db, "leads", format, audited, Columns, l => l.Id,
            async (after, size, ct) => await (after is { } a ? leads.Where(l => l.Id.CompareTo(a) > 0) : leads)
                .OrderBy(l => l.Id).Take(size).ToListAsync(ct),
            cancellationToken);
    }
}
