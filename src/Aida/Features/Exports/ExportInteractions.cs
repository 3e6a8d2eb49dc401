using Aida.Features.Interactions;
using Aida.Platform.Export;

namespace Aida.Features.Exports;

/// <summary><c>GET /api/v1/exports/interactions</c>: the interaction log, with its filters, as a file.</summary>
public static class ExportInteractions
{
    public sealed record Query(string? Format, Guid? CustomerId, Guid? ContactId, string? Type, DateTimeOffset? From, DateTimeOffset? To);

    public static readonly IReadOnlyList<ExportColumn<Interaction>> Columns =
    [
        new("id", i => i.Id),
        new("customerId", i => i.CustomerId),
        new("contactId", i => i.ContactId),
        new("type", i => EnumText<InteractionType>.ToText(i.InteractionType)),
        new("direction", i => EnumText<Direction>.ToText(i.Direction)),
        new("subject", i => i.Subject),
        new("description", i => i.Description),
        new("occurredAt", i => i.OccurredAt),
        new("durationMinutes", i => i.DurationMinutes),
        new("outcome", i => i.Outcome is { } o ? EnumText<InteractionOutcome>.ToText(o) : null),
        new("sentiment", i => i.Sentiment is { } s ? EnumText<Sentiment>.ToText(s) : null),
        new("source", i => EnumText<InteractionSource>.ToText(i.Source)),
        new("externalId", i => i.ExternalId),
        new("createdBy", i => i.CreatedBy),
        new("createdAt", i => i.CreatedAt),
    ];

    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> Handle([AsParameters] Query query, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var format = ExportFormats.Parse(query.Format, errors);
        var type = QueryValues.Enum<InteractionType>(query.Type, "type", errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var interactions = ListInteractions.Filtered(query.CustomerId, query.ContactId, type, query.From, query.To, db);
        var audited = ExportFilters.Of(("customerId", query.CustomerId), ("contactId", query.ContactId), ("type", query.Type),
            ("from", query.From?.ToString("O", CultureInfo.InvariantCulture)), ("to", query.To?.ToString("O", CultureInfo.InvariantCulture)));
        return await StreamedExport.CreateAsync(db, "interactions", format, audited, Columns, i => i.Id,
            async (after, size, ct) => await (after is { } a ? interactions.Where(i => i.Id.CompareTo(a) > 0) : interactions)
                .OrderBy(i => i.Id).Take(size).ToListAsync(ct),
            cancellationToken);
    }
}
