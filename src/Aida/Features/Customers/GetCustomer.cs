using Aida.Features.Customers.Contacts;

namespace Aida.Features.Customers;

public static class GetCustomer
{
    /// <summary>The customer with its primary contact, in one compiled round trip: the hottest read there is.</summary>
    private static readonly CompiledPerModel<Func<AidaDb, Guid, CancellationToken, Task<CustomerResponse?>>> ById = new(() =>
        EF.CompileAsyncQuery((AidaDb db, Guid id, CancellationToken _) =>
            (from c in db.Set<Customer>()
             where c.Id == id
             join primary in db.Set<Contact>().Where(p => p.IsPrimary) on c.Id equals primary.CustomerId into matched
             from p in matched.DefaultIfEmpty()
             select new CustomerResponse(
                 c.Id, c.Type, c.DisplayName, c.Status, c.Source, c.ExternalId, c.OwnerId, c.ParentId, c.CreatedBy,
                 c.CreatedAt, c.UpdatedAt, c.Version,
                 p == null ? null : new PrimaryContactSummary(p.Id, p.FirstName, p.LastName, p.Email, p.Phone)))
            .FirstOrDefault()));

    /// <summary>A merged-away id answers 308 with the survivor's address (WF-CM-002: secondary ids redirect to primary).</summary>
    public static async Task<Results<Ok<CustomerResponse>, RedirectHttpResult, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await RunAsync(id, db, cancellationToken);
        if (result.Failure is Failure.NotFound && await Merges.MergeRedirects.SurvivorAsync(db, id, cancellationToken) is { } survivor)
        {
            return TypedResults.Redirect($"/api/v1/customers/{survivor}", permanent: true, preserveMethod: true);
        }

        return result.ToOkOrProblem(response) switch
        {
            { Result: Ok<CustomerResponse> ok } => ok,
            { Result: ProblemHttpResult problem } => problem,
            _ => throw new InvalidOperationException("A customer read answers the customer or a problem."),
        };
    }

    public static async Task<Result<CustomerResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        await ById.For(db)(db, id, cancellationToken) is { } customer
            ? Result.Ok(customer, customer.Version)
            : new Failure.NotFound("customer");
}
