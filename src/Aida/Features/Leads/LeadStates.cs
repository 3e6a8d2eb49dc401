using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Leads;

/// <summary>The steps every lead state change shares: find it in reach (404), honour If-Match (412), refuse a converted lead (409), save with its event.</summary>
public static class LeadStates
{
    /// <summary>
    /// Holds the lead's row until the transaction ends, so two touches or changes of one lead at once are
    /// applied one after the other (the second reads what the first wrote) instead of one failing on the
    /// version check. SQLite already runs one writer at a time.
    /// </summary>
    public static Task LockAsync(AidaDb db, Guid id, CancellationToken cancellationToken) =>
        db.LockRowAsync<Lead>(id, cancellationToken);

    public static ProblemHttpResult Converted(Lead lead) =>
        Problems.Conflict("status", "The lead is converted; work it as its customer now.");

    public sealed record ReasonRequest(string? Reason);

    /// <summary>
    /// Loads the lead for a change, runs <paramref name="change"/> (which returns a problem, or null having
    /// changed the lead and published its event) and saves, all in one transaction.
    /// </summary>
    public static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        Guid id,
        string? ifMatch,
        AidaDb db,
        HttpResponse response,
        Func<Lead, IResult?> change,
        CancellationToken cancellationToken)
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await LockAsync(db, id, cancellationToken);
        var found = await db.Set<Lead>().Where(l => l.Id == id).FindForChangeAsync(precondition, "lead", cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }

        var lead = found.Record;
        if (lead.Status == LeadStatus.Converted)
        {
            return Converted(lead);
        }

        switch (change(lead))
        {
            case ValidationProblem validation:
                return validation;
            case ProblemHttpResult problem:
                return problem;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        ETags.Set(response, lead.Version);
        return TypedResults.Ok(lead.ToResponse());
    }

    public static void Publish(AidaDb db, string type, Lead lead, string? reason) =>
        db.Publish(type, LeadMapping.Subject(lead), () => new { lead = lead.ToResponse(), reason });
}
