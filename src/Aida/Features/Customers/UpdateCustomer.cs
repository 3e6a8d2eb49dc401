using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Contacts;

namespace Aida.Features.Customers;

/// <summary>
/// PATCH a customer (merge semantics). Deactivating is <c>{"status": "inactive"}</c> — the record stays
/// and can be reactivated — which is distinct from DELETE.
/// </summary>
public static class UpdateCustomer
{
    public sealed record Request(
        Optional<CustomerType> Type,
        Optional<string?> DisplayName,
        Optional<CustomerStatus> Status,
        Optional<CustomerSource?> Source,
        Optional<string?> ExternalId,
        Optional<Guid?> OwnerId,
        Optional<Guid?> ParentId);

    public static async Task<Results<Ok<CustomerResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static async Task<Result<CustomerResponse>> RunAsync(
        Guid id, Request request, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        Contact? primary = null;
        return await db.ChangeAsync(db.Set<Customer>().Where(c => c.Id == id), ifMatch, "customer", async Task<Failure?> (customer) =>
        {
            var errors = new ValidationErrors();
            var displayName = request.DisplayName.IsSet
                ? errors.RequiredText("displayName", request.DisplayName.Value, Customer.DisplayNameMaxLength)
                : customer.DisplayName;
            var externalId = request.ExternalId.IsSet
                ? errors.OptionalText("externalId", request.ExternalId.Value, Customer.ExternalIdMaxLength)
                : customer.ExternalId;
            if (request.OwnerId.IsSet && request.OwnerId.Value is { } ownerId && ownerId != customer.OwnerId)
            {
                await Owners.CheckAsync(db, ownerId, errors, "ownerId", cancellationToken);
            }

            var parentChanged = request.ParentId.IsSet && request.ParentId.Value != customer.ParentId;
            if (parentChanged && request.ParentId.Value is { } parentId
                && !await db.Set<Customer>().AnyAsync(c => c.Id == parentId, cancellationToken))
            {
                errors.Add("parentId", "No customer with this id exists.");
            }

            if (errors.Any)
            {
                return errors.ToFailure();
            }

            if (request.Type.IsSet && request.Type.Value == CustomerType.Individual && customer.Type == CustomerType.Organization
                && await db.Set<Account>().AnyAsync(a => a.CustomerId == id, cancellationToken))
            {
                return new Failure.Conflict("type", "The customer has an account, which only organizations have. Delete the account first.");
            }

            if (externalId is not null && externalId != customer.ExternalId
                && await CustomerAccess.All(db).AnyAsync(c => c.ExternalId == externalId && c.Id != id, cancellationToken))
            {
                return new Failure.Conflict("externalId", "Another customer already has this external id.");
            }

            if (parentChanged && request.ParentId.Value is { } newParent)
            {
                await db.LockAsync(LockName.CustomerHierarchy, cancellationToken);
                if (await Hierarchy.WouldLoopAsync(db, newParent, id, cancellationToken))
                {
                    return new Failure.Conflict("parentId", newParent == id ? "A customer cannot be its own parent." : Hierarchy.LoopMessage);
                }
            }

            customer.Type = request.Type.Or(customer.Type);
            customer.DisplayName = displayName!;
            customer.Status = request.Status.Or(customer.Status);
            customer.Source = request.Source.Or(customer.Source);
            customer.ExternalId = externalId;
            customer.OwnerId = request.OwnerId.Or(customer.OwnerId);
            customer.ParentId = request.ParentId.Or(customer.ParentId);

            var changes = db.ChangedFields(customer);
            primary = await db.Set<Contact>().AsNoTracking().FirstOrDefaultAsync(c => c.CustomerId == id && c.IsPrimary, cancellationToken);
            if (changes.Count > 0)
            {
                db.Publish("customer.updated", CustomerMapping.Subject(id), () => new { customer = customer.ToResponse(primary), changes });
            }

            return null;
        }, customer => customer.ToResponse(primary), cancellationToken);
    }
}
