namespace Aida.Features.Interactions;

/// <summary>
/// WF-IT-001: log an interaction. The time defaults to now and may be backdated (flagged after 30 days).
/// A synced interaction carries its <c>externalId</c>: sent again, the stored one is answered with 200
/// and nothing new is written (AC-2, "a synced interaction seen twice is stored once").
/// </summary>
public static class LogInteraction
{
    public sealed record Request(
        Guid? CustomerId,
        Guid? ContactId,
        InteractionType? InteractionType,
        Direction? Direction,
        string? Subject,
        string? Description,
        DateTimeOffset? OccurredAt,
        int? DurationMinutes,
        InteractionOutcome? Outcome,
        Sentiment? Sentiment,
        InteractionSource? Source,
        string? ExternalId,
        RelatedRecordType? RelatedType,
        Guid? RelatedId);

    /// <summary>The interaction as stored, and whether this request stored it (false: a synced one seen before).</summary>
    public sealed record Logged(InteractionResponse Interaction, bool IsNew);

    public static async Task<Results<Created<InteractionResponse>, Ok<InteractionResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request request, AidaDb db, [FromServices] RelatedRecords related, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await RunAsync(request, db, related, cancellationToken);
        if (!result.Succeeded)
        {
            return result.Failure is Failure.Invalid invalid ? invalid.ToValidationProblem() : result.Failure.ToProblem();
        }

        var interaction = result.Value.Interaction;
        ETags.Set(response, interaction.Version);
        return result.Value.IsNew
            ? TypedResults.Created(InteractionMapping.Location(interaction.Id), interaction)
            : TypedResults.Ok(interaction);
    }

    public static async Task<Result<Logged>> RunAsync(Request request, AidaDb db, RelatedRecords related, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var errors = new ValidationErrors();
        var interaction = await ValidateAsync(db, related, request, errors, cancellationToken);
        if (interaction is null)
        {
            return errors.ToFailure();
        }

        if (interaction.ExternalId is { } externalId)
        {
            var stored = await db.Set<Interaction>().IgnoreQueryFilters().FirstOrDefaultAsync(i => i.ExternalId == externalId, cancellationToken);
            if (stored is not null)
            {
                // Visible: the sync sees its earlier copy. Not visible (or deleted): say only that it exists.
                var visible = stored.DeletedAt is null && await db.Set<Interaction>().AnyAsync(i => i.Id == stored.Id, cancellationToken);
                if (!visible)
                {
                    return new Failure.Conflict("externalId", "An interaction with this external id is already recorded.");
                }

                return Result.Ok(new Logged(stored.ToResponse(), false), stored.Version);
            }
        }

        Add(db, interaction);
        await related.InteractionLoggedAsync(db, interaction, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(new Logged(interaction.ToResponse(), true), interaction.Version);
    }

    /// <summary>Adds a validated interaction and its <c>interaction.logged</c> event to the unit of work (also used by activity completion and email sync).</summary>
    public static void Add(AidaDb db, Interaction interaction)
    {
        interaction.CreatedBy = db.Operation.ActorId;
        db.Add(interaction);
        db.Publish("interaction.logged", InteractionMapping.Subject(interaction), () => new { interaction = interaction.ToResponse() });
    }

    public static async Task<Interaction?> ValidateAsync(
        AidaDb db, RelatedRecords related, Request request, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        if (request.InteractionType is null)
        {
            errors.Add("interactionType", "Is required: one of " + string.Join(", ", EnumText<InteractionType>.AllNames) + ".");
        }

        if (request.Direction is null)
        {
            errors.Add("direction", "Is required: inbound or outbound.");
        }

        var subject = errors.OptionalText("subject", request.Subject, Interaction.SubjectMaxLength);
        var description = LongText(errors, "description", request.Description, Interaction.DescriptionMaxLength);
        var occurredAt = InteractionRules.OccurredAt(errors, "occurredAt", request.OccurredAt, now) ?? now;
        InteractionRules.Duration(errors, "durationMinutes", request.DurationMinutes);
        var externalId = errors.OptionalText("externalId", request.ExternalId, Interaction.ExternalIdMaxLength);
        InteractionRules.Related(errors, request.RelatedType, request.RelatedId);
        await related.CheckAsync(db, request.RelatedType, request.RelatedId, errors, cancellationToken);
        await InteractionRules.CheckCustomerAndContactAsync(db, request.CustomerId, request.ContactId, errors, cancellationToken);
        if (errors.Any)
        {
            return null;
        }

        return new Interaction
        {
            CustomerId = request.CustomerId!.Value,
            ContactId = request.ContactId,
            InteractionType = request.InteractionType!.Value,
            Direction = request.Direction!.Value,
            Subject = subject,
            Description = description,
            OccurredAt = occurredAt,
            DurationMinutes = request.DurationMinutes,
            Outcome = request.Outcome,
            Sentiment = request.Sentiment,
            // Integrations (API tokens) log as "api" unless they say which sync they are; people log "manual".
            Source = request.Source ?? (db.Operation.TokenId is null ? InteractionSource.Manual : InteractionSource.Api),
            ExternalId = externalId,
            RelatedType = request.RelatedType,
            RelatedId = request.RelatedId,
        };
    }

    /// <summary>Free text that may span lines: trimmed, blank is null, bounded; tabs and line breaks are fine.</summary>
    public static string? LongText(ValidationErrors errors, string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > maxLength)
        {
            errors.Add(field, $"Must be at most {maxLength} characters.");
        }

        if (trimmed.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            errors.Add(field, "Must not contain control characters.");
        }

        return trimmed;
    }
}
