using Aida.Features.Deals;
using Aida.Platform.Export;
using Microsoft.Extensions.Options;

namespace Aida.Features.Exports;

/// <summary><c>GET /api/v1/exports/deals</c>: the deal list (opportunities), as it is filtered, as a file.</summary>
public static class ExportDeals
{
    public sealed record Query(
        string? Format,
        Guid? PipelineId,
        Guid? StageId,
        string? Status,
        string? OwnerId,
        Guid? CustomerId,
        bool? Stale,
        string? CloseFrom,
        string? CloseTo);

    public static readonly IReadOnlyList<ExportColumn<Opportunity>> Columns =
    [
        new("id", o => o.Id),
        new("title", o => o.Title),
        new("value", o => o.Value),
        new("currency", o => o.Currency),
        new("pipelineId", o => o.PipelineId),
        new("stageId", o => o.StageId),
        new("probabilityOverride", o => o.ProbabilityOverride),
        new("expectedCloseOn", o => o.ExpectedCloseOn),
        new("customerId", o => o.CustomerId),
        new("contactId", o => o.ContactId),
        new("ownerId", o => o.OwnerId),
        new("source", o => o.Source),
        new("priority", o => EnumText<DealPriority>.ToText(o.Priority)),
        new("status", o => EnumText<DealStatus>.ToText(o.Status)),
        new("closedAt", o => o.ClosedAt),
        new("closeReason", o => o.CloseReason),
        new("leadId", o => o.LeadId),
        new("lastActivityAt", o => o.LastActivityAt),
        new("createdAt", o => o.CreatedAt),
        new("updatedAt", o => o.UpdatedAt),
    ];

    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> Handle(
        [AsParameters] Query query, AidaDb db, IOptions<DealOptions> options, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var format = ExportFormats.Parse(query.Format, errors);
        var deals = ListDeals.Filtered(
            new ListDeals.Filters(query.PipelineId, query.StageId, query.Status, query.OwnerId, query.CustomerId, query.Stale, query.CloseFrom, query.CloseTo),
            db, options.Value, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var audited = ExportFilters.Of(("pipelineId", query.PipelineId), ("stageId", query.StageId), ("status", query.Status), ("ownerId", query.OwnerId),
            ("customerId", query.CustomerId), ("stale", query.Stale), ("closeFrom", query.CloseFrom), ("closeTo", query.CloseTo));
        return await StreamedExport.CreateAsync(db, "deals", format, audited, Columns, o => o.Id,
            async (after, size, ct) => await (after is { } a ? deals.Where(o => o.Id.CompareTo(a) > 0) : deals)
                .OrderBy(o => o.Id).Take(size).ToListAsync(ct),
            cancellationToken);
    }
}
