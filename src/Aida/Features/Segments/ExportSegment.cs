using Aida.Platform.Export;

namespace Aida.Features.Segments;

/// <summary>
/// <c>GET /api/v1/segments/{id}/export</c> (analytics.exportData): the members in the caller's reach as CSV,
/// Excel or JSON (spec 002 Segment AC-2), streamed in batches by customer id through the shared export writer,
/// so 100,000 members never sit in memory, formula-looking cells are neutralised and the export is audited.
/// </summary>
public static class ExportSegment
{
    public static readonly IReadOnlyList<ExportColumn<ListSegmentCustomers.SegmentMemberResponse>> Columns =
    [
        new("customer_id", r => r.CustomerId),
        new("display_name", r => r.DisplayName),
        new("type", r => EnumText<Customers.CustomerType>.ToText(r.Type)),
        new("status", r => EnumText<Customers.CustomerStatus>.ToText(r.Status)),
        new("stage", r => r.StageCode ?? ""),
        new("total_revenue", r => decimal.Round(r.TotalRevenue, 2)),
        new("added_at", r => r.AddedAt),
    ];

    public static async Task<IResult> Handle(Guid id, string? format, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var chosen = ExportFormats.Parse(format, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var segment = await db.Set<Segment>().AsNoTracking().Where(s => s.Id == id).Select(s => new { s.Name }).FirstOrDefaultAsync(cancellationToken);
        if (segment is null)
        {
            return new Failure.NotFound("segment").ToProblem();
        }

        return await StreamedExport.CreateAsync(db, "segment_members", chosen, new System.Text.Json.Nodes.JsonObject { ["segmentId"] = id.ToString() }, Columns,
            r => r.CustomerId,
            async (after, size, ct) => await ListSegmentCustomers.Page(db, id, after, size, ct),
            cancellationToken,
            $"segment-{id}");
    }
}
