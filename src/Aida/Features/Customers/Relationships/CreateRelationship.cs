namespace Aida.Features.Customers.Relationships;

/// <summary>
/// Links this customer (from) to another (to). Refused: a link to itself (Relationship AC-1), a second
/// link of the same type between the same two (AC-2), and a parent/child or subsidiary link that
/// would make the hierarchy circular.
/// </summary>
public static class CreateRelationship
{
    public sealed record Request(Guid? ToCustomerId, RelationshipType? RelationshipType, string? Notes, DateOnly? StartDate, DateOnly? EndDate);

    public static async Task<Results<Created<RelationshipResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId, [FromBody] Request request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(customerId, request, db, cancellationToken)).ToCreated(response, RelationshipMapping.Location);

    public static async Task<Result<RelationshipResponse>> RunAsync(Guid customerId, Request request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.ToCustomerId is null)
        {
            errors.Add("toCustomerId", "Is required.");
        }
        else if (request.ToCustomerId == customerId)
        {
            errors.Add("toCustomerId", "A customer cannot have a relationship with itself.");
        }

        if (request.RelationshipType is null)
        {
            errors.Add("relationshipType", $"Is required: one of {string.Join(", ", EnumText<RelationshipType>.AllNames)}.");
        }

        var notes = errors.OptionalText("notes", request.Notes, Relationship.NotesMaxLength);
        RelationshipRules.CheckDates(errors, request.StartDate, request.EndDate);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var toId = request.ToCustomerId!.Value;
        var type = request.RelationshipType!.Value;
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (!await db.Set<Customer>().AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return new Failure.NotFound("customer");
        }

        if (!await db.Set<Customer>().AnyAsync(c => c.Id == toId, cancellationToken))
        {
            return new Failure.Invalid("toCustomerId", "No customer with this id exists.");
        }

        if (await CustomerAccess.AllRelationships(db).AnyAsync(r => r.FromCustomerId == customerId && r.ToCustomerId == toId && r.RelationshipType == type, cancellationToken))
        {
            return new Failure.Conflict("relationshipType", "These customers already have a relationship of this type.");
        }

        if (Relationship.IsHierarchical(type))
        {
            await db.LockAsync(LockName.CustomerHierarchy, cancellationToken);
            if (await Hierarchy.WouldLoopAsync(db, customerId, toId, cancellationToken))
            {
                return new Failure.Conflict("toCustomerId", Hierarchy.LoopMessage);
            }
        }

        var relationship = new Relationship
        {
            FromCustomerId = customerId,
            ToCustomerId = toId,
            RelationshipType = type,
            Notes = notes,
            StartDate = request.StartDate,
            EndDate = request.EndDate,
        };
        db.Add(relationship);
        db.Publish("relationship.created", RelationshipMapping.Subject(relationship), () => new { relationship = relationship.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(relationship.ToResponse(), relationship.Version);
    }
}
