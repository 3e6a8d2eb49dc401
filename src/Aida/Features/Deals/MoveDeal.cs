using Microsoft.Extensions.Options;

namespace Aida.Features.Deals;

/// <summary>
/// Move a deal to another stage of its pipeline (<c>POST /api/v1/deals/{id}/move</c>): the one place a
/// deal changes stage, used by the API, the board's drag and drop and the "Move to…" forms.
/// <para>
/// If-Match is required: a move made from a board drawn a while ago must not silently undo someone
/// else's move, so without it the answer is 428 Precondition Required, and with a stale version 412.
/// Two moves sent with the same version race on the version column; exactly one is saved.
/// </para>
/// Closing (a won or lost stage) needs the reason; moving back to an open stage reopens the deal.
/// Events: <c>deal.stage_changed</c> always, <c>deal.converted</c> (the AIDA Convert step) when it is
/// won, <c>deal.lost</c> when it is lost.
/// </summary>
public static class MoveDeal
{
    public const string PreconditionRequiredType = "urn:aida:problem:precondition-required";

    public sealed record Request(Guid? StageId, string? Reason);

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
        if (IfMatch.Parse(ifMatch) is { IsValid: true, IsPresent: false })
        {
            return new PreconditionRequired();
        }

        Opportunity? moving = null;
        Result<Opportunity> moved;
        try
        {
            moved = await db.ChangeAsync(db.Set<Opportunity>().Where(o => o.Id == id), ifMatch, "deal", async Task<Failure?> (deal) =>
            {
                moving = deal;
                var errors = new ValidationErrors();
                var stage = await TargetAsync(db, deal, request.StageId, errors, cancellationToken);
                string? reason = null;
                if (stage is { Kind: not StageKind.Open })
                {
                    reason = string.IsNullOrWhiteSpace(request.Reason)
                        ? Missing(errors, stage.Kind == StageKind.Won ? "Is required: say why the deal was won." : "Is required: say why the deal was lost.")
                        : errors.OptionalText("reason", request.Reason, Opportunity.ReasonMaxLength);
                }

                if (errors.Any)
                {
                    return errors.ToFailure();
                }

                if (stage!.Id != deal.StageId)
                {
                    await ApplyAsync(db, deal, stage, reason, cancellationToken);
                }

                return null;
            }, deal => deal, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The other of two concurrent moves with the same version was saved first.
            db.ChangeTracker.Clear();
            return new Failure.Stale(moving!.Version);
        }

        return await moved.MapAsync(deal => DealMapping.ToResponseAsync(db, deal, options.Value.StaleAfterDays, cancellationToken, withHistory: true));
    }

    /// <summary>428: a move must name the version it was made from (If-Match), so an old view cannot undo someone else's move.</summary>
    public sealed record PreconditionRequired()
        : Failure("Send If-Match with the ETag the deal was read with, so a move made from an old view cannot undo someone else's.", "If-Match")
    {
        public override int StatusCode => StatusCodes.Status428PreconditionRequired;

        public override string ProblemType => PreconditionRequiredType;

        public override string Title => "The move needs the deal's version.";

        public override IReadOnlyDictionary<string, string[]> FieldErrors => new Dictionary<string, string[]> { ["If-Match"] = ["Is required."] };
    }

    private static string? Missing(ValidationErrors errors, string message)
    {
        errors.Add("reason", message);
        return null;
    }

    /// <summary>The stage to move to: it must exist and belong to the deal's pipeline.</summary>
    private static async Task<PipelineStage?> TargetAsync(AidaDb db, Opportunity deal, Guid? stageId, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (stageId is null)
        {
            errors.Add("stageId", "Is required.");
            return null;
        }

        var stage = await db.Set<PipelineStage>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == stageId, cancellationToken);
        if (stage is null)
        {
            errors.Add("stageId", "No stage with this id exists.");
        }
        else if (stage.PipelineId != deal.PipelineId)
        {
            errors.Add("stageId", "Is a stage of another pipeline; a deal moves only within its own pipeline.");
        }

        return stage;
    }

    /// <summary>Ends the current stay, starts the new one, sets status and closing fields, and writes the events.</summary>
    private static async Task ApplyAsync(AidaDb db, Opportunity deal, PipelineStage stage, string? reason, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        var from = await db.Set<PipelineStage>().AsNoTracking().FirstAsync(s => s.Id == deal.StageId, cancellationToken);
        var open = await db.Set<OpportunityStageHistory>().Where(h => h.OpportunityId == deal.Id && h.LeftAt == null).ToListAsync(cancellationToken);
        foreach (var stay in open)
        {
            stay.LeftAt = now;
        }

        db.Add(new OpportunityStageHistory { OpportunityId = deal.Id, StageId = stage.Id, EnteredAt = now, MovedBy = db.Operation.ActorId });
        var wasClosed = deal.Status != DealStatus.Open;
        deal.StageId = stage.Id;
        deal.StageEnteredAt = now;
        deal.LastActivityAt = now;
        deal.Status = stage.Kind switch { StageKind.Won => DealStatus.Won, StageKind.Lost => DealStatus.Lost, _ => DealStatus.Open };
        deal.ClosedAt = deal.Status == DealStatus.Open ? null : now;
        deal.CloseReason = deal.Status == DealStatus.Open ? null : reason;

        var subject = OpenDeal.Subject(deal);
        db.Publish("deal.stage_changed", subject, () => new
        {
            dealId = deal.Id,
            from = from.Code,
            to = stage.Code,
            fromStageId = from.Id,
            toStageId = stage.Id,
            status = EnumText<DealStatus>.ToText(deal.Status),
            reopened = wasClosed && deal.Status == DealStatus.Open,
        });
        if (deal.Status == DealStatus.Won)
        {
            db.Publish("deal.converted", subject, () => new
            {
                deal = new { id = deal.Id, deal.Title, stage = stage.Code, reason = deal.CloseReason, deal.OwnerId },
                customerId = deal.CustomerId,
                value = deal.Value,
                currency = deal.Currency,
                leadId = deal.LeadId,
            });
        }
        else if (deal.Status == DealStatus.Lost)
        {
            db.Publish("deal.lost", subject, () => new
            {
                deal = new { id = deal.Id, deal.Title, stage = stage.Code, reason = deal.CloseReason, deal.OwnerId },
                customerId = deal.CustomerId,
                value = deal.Value,
                currency = deal.Currency,
            });
        }
    }
}
