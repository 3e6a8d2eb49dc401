namespace Aida.Platform.Audit;

/// <summary>Who made a change, and through which API token when it came through the API.</summary>
public sealed record AuditActor(Guid Id, string Name, Guid? TokenId);

public sealed record AuditEntryResponse(
    Guid Id,
    DateTime OccurredAt,
    AuditActor Actor,
    string? RequestId,
    string EntityType,
    Guid EntityId,
    Guid? CustomerId,
    AuditAction Action,
    JsonElement Changes,
    JsonElement? Context);

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit").WithTags("Audit").RequirePermission(Auth.Permissions.CustomersViewOwn);
        group.MapGet("/", ListAudit.Handle).WithName("Audit_List")
            .WithSummary("The change history of a record, or of everything that belongs to a customer, newest first.");
        return app;
    }
}

public static class ListAudit
{
    public sealed record Query(string? EntityType, Guid? EntityId, Guid? CustomerId, int? Limit, string? Cursor);

    public static async Task<Results<Ok<Page<AuditEntryResponse>>, ValidationProblem>> Handle(
        [AsParameters] Query query, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(query, db, cancellationToken)).ToOkOrInvalid();

    public static async Task<Result<Page<AuditEntryResponse>>> RunAsync(Query query, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var limit = Paging.Limit(query.Limit, errors);
        var after = Paging.DecodeCursor(query.Cursor, "-occurredAt", 2, errors);
        var entityType = query.EntityType?.Trim();
        if (entityType is not null && entityType != AuditRecorder.ImportEntityType && !db.Model.GetEntityTypes().Any(t =>
                typeof(AuditedEntity).IsAssignableFrom(t.ClrType) && AuditRecorder.EntityTypeName(t.ClrType) == entityType))
        {
            errors.Add("entityType", "Is not a kind of record the audit log covers (e.g. customer, contact, address, account, relationship, import, user, team, api_token).");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var entries = db.Set<AuditEntry>().AsNoTracking();
        if (entityType is not null)
        {
            entries = entries.Where(a => a.EntityType == entityType);
        }

        if (query.EntityId is { } entityId)
        {
            entries = entries.Where(a => a.EntityId == entityId);
        }

        if (query.CustomerId is { } customerId)
        {
            entries = entries.Where(a => a.CustomerId == customerId);
        }

        if (after is not null)
        {
            if (!long.TryParse(after[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || !Guid.TryParse(after[1], out var id))
            {
                return new Failure.Invalid("cursor", "Is not a cursor returned by this list; start again without it.");
            }

            var time = new DateTime(ticks, DateTimeKind.Utc);
            entries = entries.Where(a => a.OccurredAt <= time && (a.OccurredAt < time || a.Id.CompareTo(id) < 0));
        }

        var rows = await entries.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id)
            .Take(limit + 1).ToListAsync(cancellationToken);
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit
            ? Paging.EncodeCursor("-occurredAt", page[^1].OccurredAt.Ticks.ToString(CultureInfo.InvariantCulture), page[^1].Id.ToString())
            : null;
        return Result.Ok(new Page<AuditEntryResponse>(page.Select(a => ToResponse(db, a)).ToList(), next));
    }

    private static AuditEntryResponse ToResponse(AidaDb db, AuditEntry a) => new(
        a.Id,
        a.OccurredAt,
        new AuditActor(a.ActorId, a.ActorName, a.ActorTokenId),
        a.RequestId,
        a.EntityType,
        a.EntityId,
        a.CustomerId,
        a.Action,
        SensitiveFields.Shown(db, a.Changes),
        a.Context is null ? null : SensitiveFields.Shown(db, a.Context));
}
