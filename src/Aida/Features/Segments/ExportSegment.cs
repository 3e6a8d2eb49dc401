using System.Text;

namespace Aida.Features.Segments;

/// <summary>
/// <c>GET /api/v1/segments/{id}/export</c> (analytics.exportData): the members in the caller's reach as CSV
/// (spec 002 Segment AC-2), streamed in batches by customer id so 100,000 members never sit in memory. Cells
/// that a spreadsheet would run as a formula are prefixed with an apostrophe (CSV injection).
/// </summary>
public static class ExportSegment
{
    private const int Batch = 2000;

    public static async Task<IResult> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var segment = await db.Set<Segment>().AsNoTracking().Where(s => s.Id == id).Select(s => new { s.Name }).FirstOrDefaultAsync(cancellationToken);
        if (segment is null)
        {
            return new Failure.NotFound("segment").ToProblem();
        }

        return Results.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            await writer.WriteLineAsync("customer_id,display_name,type,status,stage,total_revenue,added_at");
            Guid? after = null;
            while (true)
            {
                var rows = await ListSegmentCustomers.Page(db, id, after, Batch, cancellationToken);
                foreach (var row in rows)
                {
                    await writer.WriteLineAsync(string.Join(',',
                        row.CustomerId.ToString(),
                        Cell(row.DisplayName),
                        EnumText<Customers.CustomerType>.ToText(row.Type),
                        EnumText<Customers.CustomerStatus>.ToText(row.Status),
                        Cell(row.StageCode ?? ""),
                        row.TotalRevenue.ToString("0.00", CultureInfo.InvariantCulture),
                        UiContext.Iso(row.AddedAt)));
                }

                if (rows.Count < Batch)
                {
                    break;
                }

                after = rows[^1].CustomerId;
                await writer.FlushAsync(cancellationToken);
            }
        }, "text/csv; charset=utf-8", $"segment-{id}.csv");
    }

    /// <summary>One CSV cell: quoted when needed, and never read by a spreadsheet as a formula.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
