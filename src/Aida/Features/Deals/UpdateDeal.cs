using Aida.Features.Interactions;
using Microsoft.Extensions.Options;

namespace Aida.Features.Deals;

/// <summary>
/// Change a deal's fields (merge-patch, If-Match → 412 when stale). The stage, pipeline and status change
/// only through <see cref="MoveDeal"/>, which keeps the stage history and asks the reason for closing;
/// the customer stays the one the deal was opened for.
/// </summary>
public static class UpdateDeal
{
    public sealed record Request(
        Optional<string?> Title,
        Optional<string?> Description,
        Optional<decimal> Value,
        Optional<string?> Currency,
        Optional<int?> Probability,
        Optional<DateOnly?> ExpectedCloseOn,
        Optional<Guid?> ContactId,
        Optional<Guid?> OwnerId,
        Optional<string?> Source,
        Optional<DealPriority> Priority,
        Optional<Guid?> StageId,
        Optional<Guid?> PipelineId,
        Optional<DealStatus?> Status,
        Optional<Guid?> CustomerId);

    public static async Task<Results<Ok<DealResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        IOptions<DealOptions> options,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, options, cancellationToken)).ToOk(response);

    public static async Task<Result<DealResponse>> RunAsync(
        Guid id, Request request, string? ifMatch, AidaDb db, IOptions<DealOptions> options, CancellationToken cancellationToken)
    {
        // Fields no PATCH may send are refused before the deal is looked for; an unreadable If-Match is still answered first.
        if (IfMatch.Parse(ifMatch).IsValid && NotChangedHere(request) is { } refused)
        {
            return refused;
        }

        var updated = await db.ChangeAsync(db.Set<Opportunity>().Where(o => o.Id == id), ifMatch, "deal", async Task<Failure?> (deal) =>
        {
            var errors = new ValidationErrors();
            var title = request.Title.IsSet ? errors.RequiredText("title", request.Title.Value, Opportunity.TitleMaxLength) : deal.Title;
            var description = request.Description.IsSet
                ? LogInteraction.LongText(errors, "description", request.Description.Value, Opportunity.DescriptionMaxLength)
                : deal.Description;
            var value = request.Value.Or(deal.Value);
            Money.Amount(errors, "value", value);
            var currency = request.Currency.IsSet ? Money.Currency(errors, "currency", request.Currency.Value, required: true) : deal.Currency;
            var probability = request.Probability.Or(deal.ProbabilityOverride);
            DealRules.Probability(errors, probability);
            var source = request.Source.IsSet ? errors.OptionalText("source", request.Source.Value, Opportunity.SourceMaxLength) : deal.Source;
            var contactId = request.ContactId.Or(deal.ContactId);
            if (request.ContactId.IsSet)
            {
                await DealRules.ContactAsync(db, deal.CustomerId, contactId, errors, cancellationToken);
            }

            var ownerId = request.OwnerId.Or(deal.OwnerId);
            if (request.OwnerId.IsSet && ownerId is { } owner && owner != deal.OwnerId)
            {
                await DealRules.OwnerAsync(db, owner, errors, cancellationToken);
            }

            if (errors.Any)
            {
                return errors.ToFailure();
            }

            deal.Title = title!;
            deal.Description = description;
            deal.Value = value;
            deal.Currency = currency!;
            deal.ProbabilityOverride = probability;
            deal.ExpectedCloseOn = request.ExpectedCloseOn.Or(deal.ExpectedCloseOn);
            deal.ContactId = contactId;
            deal.OwnerId = ownerId;
            deal.Source = source;
            deal.Priority = request.Priority.Or(deal.Priority);

            var changes = db.ChangedFields(deal);
            if (changes.Count > 0)
            {
                // Working on a deal is activity: it is not stale while someone keeps it up to date.
                deal.LastActivityAt = db.Clock.UtcNow();
                db.Publish("deal.updated", OpenDeal.Subject(deal), () => new { dealId = deal.Id, changes });
            }

            return null;
        }, deal => deal, cancellationToken);
        return await updated.MapAsync(deal => DealMapping.ToResponseAsync(db, deal, options.Value.StaleAfterDays, cancellationToken));
    }

    /// <summary>The stage, pipeline, status and customer sent to PATCH: each has its own way to change, or none.</summary>
    private static Failure? NotChangedHere(Request request)
    {
        var errors = new ValidationErrors();
        foreach (var (field, sent) in new[] { ("stageId", request.StageId.IsSet), ("pipelineId", request.PipelineId.IsSet), ("status", request.Status.IsSet) })
        {
            if (sent)
            {
                errors.Add(field, "Moves between stages go through POST /api/v1/deals/{id}/move, which keeps the stage history and asks the reason for closing.");
            }
        }

        if (request.CustomerId.IsSet)
        {
            errors.Add("customerId", "A deal stays with the customer it was opened for; open a new deal for another customer.");
        }

        return errors.Any ? errors.ToFailure() : null;
    }
}
