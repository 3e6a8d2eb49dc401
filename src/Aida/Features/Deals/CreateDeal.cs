using Aida.Features.Interactions;
using Microsoft.Extensions.Options;

namespace Aida.Features.Deals;

/// <summary>
/// Open a deal for a customer (<c>POST /api/v1/deals</c>): in the default pipeline's first open stage
/// unless told otherwise, owned by the actor unless someone else is named. Closing is a stage move
/// (it needs a reason), so a new deal starts in an open stage.
/// </summary>
public static class CreateDeal
{
    public sealed record Request(
        string? Title,
        string? Description,
        decimal? Value,
        string? Currency,
        Guid? PipelineId,
        Guid? StageId,
        int? Probability,
        DateOnly? ExpectedCloseOn,
        Guid? CustomerId,
        Guid? ContactId,
        Guid? OwnerId,
        string? Source,
        DealPriority? Priority);

    public static async Task<Results<Created<DealResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request request, AidaDb db, IOptions<DealOptions> options, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, options, cancellationToken)).ToCreated(response, created => DealMapping.Location(created.Id));

    public static async Task<Result<DealResponse>> RunAsync(Request request, AidaDb db, IOptions<DealOptions> options, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var errors = new ValidationErrors();
        var title = errors.RequiredText("title", request.Title, Opportunity.TitleMaxLength);
        var description = LogInteraction.LongText(errors, "description", request.Description, Opportunity.DescriptionMaxLength);
        Money.Amount(errors, "value", request.Value);
        var currency = Money.Currency(errors, "currency", request.Currency, required: true);
        DealRules.Probability(errors, request.Probability);
        var source = errors.OptionalText("source", request.Source, Opportunity.SourceMaxLength);
        await DealRules.CustomerAndContactAsync(db, request.CustomerId, request.ContactId, errors, cancellationToken);
        var ownerId = request.OwnerId ?? db.Operation.ActorId;
        if (request.OwnerId is { } named)
        {
            await DealRules.OwnerAsync(db, named, errors, cancellationToken);
        }

        var (pipelineId, stageId) = await PlaceAsync(db, request.PipelineId, request.StageId, errors, cancellationToken);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var deal = new Opportunity
        {
            Title = title!,
            Description = description,
            Value = request.Value ?? 0m,
            Currency = currency!,
            PipelineId = pipelineId,
            StageId = stageId,
            ProbabilityOverride = request.Probability,
            ExpectedCloseOn = request.ExpectedCloseOn,
            CustomerId = request.CustomerId!.Value,
            ContactId = request.ContactId,
            OwnerId = ownerId,
            Source = source,
            Priority = request.Priority ?? DealPriority.Medium,
        };
        await OpenDeal.AddAsync(db, deal, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(await DealMapping.ToResponseAsync(db, deal, options.Value.StaleAfterDays, cancellationToken), deal.Version);
    }

    /// <summary>
    /// The pipeline and stage a new deal goes into; empty ids leave the choice to <see cref="OpenDeal"/>
    /// (the default pipeline, its first open stage). A stage alone names its pipeline.
    /// </summary>
    private static async Task<(Guid PipelineId, Guid StageId)> PlaceAsync(AidaDb db, Guid? pipelineId, Guid? stageId, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (pipelineId is { } p && !await db.Set<Pipeline>().AnyAsync(x => x.Id == p, cancellationToken))
        {
            errors.Add("pipelineId", "No pipeline with this id exists.");
            return (Guid.Empty, Guid.Empty);
        }

        if (stageId is not { } s)
        {
            return (pipelineId ?? Guid.Empty, Guid.Empty);
        }

        var stage = await db.Set<PipelineStage>().AsNoTracking()
            .Where(x => x.Id == s && db.Set<Pipeline>().Any(q => q.Id == x.PipelineId))
            .Select(x => new { x.PipelineId, x.Kind }).FirstOrDefaultAsync(cancellationToken);
        if (stage is null)
        {
            errors.Add("stageId", "No stage with this id exists.");
        }
        else if (pipelineId is not null && stage.PipelineId != pipelineId)
        {
            errors.Add("stageId", "Is a stage of another pipeline.");
        }
        else if (stage.Kind != StageKind.Open)
        {
            errors.Add("stageId", "A new deal starts in an open stage; move it to a won or lost stage to close it, with the reason.");
        }

        return (stage?.PipelineId ?? Guid.Empty, s);
    }
}
