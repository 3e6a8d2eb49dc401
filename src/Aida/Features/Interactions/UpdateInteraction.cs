namespace Aida.Features.Interactions;

/// <summary>Corrects a logged interaction (merge-patch, If-Match). Its customer and external id stay as logged.</summary>
public static class UpdateInteraction
{
    public sealed record Request(
        Optional<Guid?> ContactId,
        Optional<InteractionType> InteractionType,
        Optional<Direction> Direction,
        Optional<string?> Subject,
        Optional<string?> Description,
        Optional<DateTimeOffset> OccurredAt,
        Optional<int?> DurationMinutes,
        Optional<InteractionOutcome?> Outcome,
        Optional<Sentiment?> Sentiment,
        Optional<RelatedRecordType?> RelatedType,
        Optional<Guid?> RelatedId);

    public static async Task<Results<Ok<InteractionResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        [FromServices] RelatedRecords related,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, related, cancellationToken)).ToOk(response);

    public static Task<Result<InteractionResponse>> RunAsync(
        Guid id, Request request, string? ifMatch, AidaDb db, RelatedRecords related, CancellationToken cancellationToken) =>
        db.ChangeAsync(db.Set<Interaction>().Where(i => i.Id == id), ifMatch, "interaction", async Task<Failure?> (interaction) =>
        {
            var errors = new ValidationErrors();
            var contactId = request.ContactId.Or(interaction.ContactId);
            var subject = request.Subject.IsSet ? errors.OptionalText("subject", request.Subject.Value, Interaction.SubjectMaxLength) : interaction.Subject;
            var description = request.Description.IsSet
                ? LogInteraction.LongText(errors, "description", request.Description.Value, Interaction.DescriptionMaxLength)
                : interaction.Description;
            var occurredAt = request.OccurredAt.IsSet
                ? InteractionRules.OccurredAt(errors, "occurredAt", request.OccurredAt.Value, db.Clock.UtcNow())!.Value
                : interaction.OccurredAt;
            var duration = request.DurationMinutes.Or(interaction.DurationMinutes);
            InteractionRules.Duration(errors, "durationMinutes", duration);
            var relatedType = request.RelatedType.Or(interaction.RelatedType);
            var relatedId = request.RelatedId.Or(interaction.RelatedId);
            InteractionRules.Related(errors, relatedType, relatedId);
            if (request.RelatedType.IsSet || request.RelatedId.IsSet)
            {
                // Only a link being made is checked: one made earlier may name a record since deleted or moved out of reach.
                await related.CheckAsync(db, relatedType, relatedId, errors, cancellationToken);
            }

            if (request.ContactId.IsSet && contactId is not null)
            {
                await InteractionRules.CheckCustomerAndContactAsync(db, interaction.CustomerId, contactId, errors, cancellationToken);
            }

            if (errors.Any)
            {
                return errors.ToFailure();
            }

            interaction.ContactId = contactId;
            interaction.InteractionType = request.InteractionType.Or(interaction.InteractionType);
            interaction.Direction = request.Direction.Or(interaction.Direction);
            interaction.Subject = subject;
            interaction.Description = description;
            interaction.OccurredAt = occurredAt;
            interaction.DurationMinutes = duration;
            interaction.Outcome = request.Outcome.Or(interaction.Outcome);
            interaction.Sentiment = request.Sentiment.Or(interaction.Sentiment);
            interaction.RelatedType = relatedType;
            interaction.RelatedId = relatedId;

            db.PublishChanges(interaction, "interaction.updated", InteractionMapping.Subject(interaction), changes => new { interaction = interaction.ToResponse(), changes });

            return null;
        }, interaction => interaction.ToResponse(), cancellationToken);
}
