namespace Aida.Features.Interactions.Communications;

/// <summary>Assigns an unmatched message to a customer (and optionally a contact): it is logged as that customer's interaction.</summary>
public static class AssignCommunication
{
    public sealed record Request(Guid? CustomerId, Guid? ContactId);

    public static async Task<Results<Ok<ReceiveCommunication.Received>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] Request request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, request, db, cancellationToken)).ToOk(response);

    public static async Task<Result<ReceiveCommunication.Received>> RunAsync(Guid id, Request request, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var communication = await db.Set<Communication>().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (communication is null)
        {
            return new Failure.NotFound("communication");
        }

        if (communication.MatchStatus == MatchStatus.Matched)
        {
            return new Failure.Conflict("customerId", "The message is already matched to a customer.");
        }

        var errors = new ValidationErrors();
        await InteractionRules.CheckCustomerAndContactAsync(db, request.CustomerId, request.ContactId, errors, cancellationToken);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var interaction = ReceiveCommunication.Log(db, communication, request.CustomerId!.Value, request.ContactId, null);
        db.Publish("communication.matched", CommunicationMapping.Subject(communication), communication.ToEvent);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(new ReceiveCommunication.Received(ReceiveCommunication.Outcome.Matched, null, communication.ToResponse(), interaction.ToResponse()));
    }
}
