using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Interactions.Communications;

public static class GetCommunication
{
    public static async Task<Results<Ok<CommunicationResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var communication = await db.Set<Communication>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return communication is null ? Problems.NotFound("communication") : TypedResults.Ok(communication.ToResponse());
    }
}

/// <summary>The messages of a thread the actor may see, oldest first (EmailViewer's threading).</summary>
public static class GetThread
{
    public const int MaxMessages = 500;

    public static async Task<Results<Ok<Page<CommunicationResponse>>, ProblemHttpResult>> Handle(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var thread = await db.Set<Communication>().Where(c => c.Id == id).Select(c => c.ThreadId).FirstOrDefaultAsync(cancellationToken);
        if (thread is null)
        {
            return Problems.NotFound("communication");
        }

        var messages = await db.Set<Communication>().AsNoTracking().Where(c => c.ThreadId == thread)
            .OrderBy(c => c.SentAt).ThenBy(c => c.Id).Take(MaxMessages).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<CommunicationResponse>(messages.Select(c => c.ToResponse()).ToList(), null));
    }
}

/// <summary>The unmatched queue (WF-IT-002 step 4): messages no contact or customer matched, oldest first, for managers and admins to assign.</summary>
public static class ListUnmatched
{
    public static async Task<Results<Ok<Page<CommunicationResponse>>, ValidationProblem>> Handle(int? limit, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var messages = await db.Set<Communication>().AsNoTracking().Where(c => c.MatchStatus == MatchStatus.Unmatched)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Take(take).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<CommunicationResponse>(messages.Select(c => c.ToResponse()).ToList(), null));
    }
}

/// <summary>Assigns an unmatched message to a customer (and optionally a contact): it is logged as that customer's interaction.</summary>
public static class AssignCommunication
{
    public sealed record Request(Guid? CustomerId, Guid? ContactId);

    public static async Task<Results<Ok<ReceiveCommunication.Received>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] Request request, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var communication = await db.Set<Communication>().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (communication is null)
        {
            return Problems.NotFound("communication");
        }

        if (communication.MatchStatus == MatchStatus.Matched)
        {
            return Problems.Conflict("customerId", "The message is already matched to a customer.");
        }

        var errors = new ValidationErrors();
        await InteractionRules.CheckCustomerAndContactAsync(db, request.CustomerId, request.ContactId, errors, cancellationToken);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var interaction = ReceiveCommunication.Log(db, communication, request.CustomerId!.Value, request.ContactId, null);
        db.Publish("communication.matched", CommunicationMapping.Subject(communication), communication.ToEvent);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(new ReceiveCommunication.Received(ReceiveCommunication.Outcome.Matched, null, communication.ToResponse(), interaction.ToResponse()));
    }
}
