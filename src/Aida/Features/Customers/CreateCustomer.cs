using System.Text.Json.Nodes;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Duplicates;

namespace Aida.Features.Customers;

/// <summary>
/// WF-CM-001: create a customer, optionally with its primary contact, account and addresses, in one
/// transaction. Checks for duplicates first and answers 409 with the candidates unless the caller
/// passes <c>allowDuplicate=true</c>, which the audit log then records.
/// </summary>
public static class CreateCustomer
{
    public sealed record Request(
        CustomerType? Type,
        string? DisplayName,
        CustomerStatus? Status,
        CustomerSource? Source,
        string? ExternalId,
        Guid? OwnerId,
        Guid? ParentId,
        ContactFields? PrimaryContact,
        AccountFields? Account,
        IReadOnlyList<AddressFields>? Addresses);

    public static async Task<Results<Created<CustomerResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request request,
        [FromQuery] bool? allowDuplicate,
        AidaDb db,
        DuplicateDetector duplicates,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(request, allowDuplicate == true, db, duplicates, cancellationToken))
            .ToCreated(response, created =>
            {
                // The medium tier: created, with the customers it may duplicate named in a header too (ids only).
                if (created.PossibleDuplicates is { Count: > 0 } possible)
                {
                    response.Headers[PossibleDuplicatesHeader] = string.Join(", ", possible.Where(p => p.Id is not null).Select(p => p.Id));
                }

                return CustomerMapping.Location(created.Id);
            });

    /// <summary>Names the customers a created one may duplicate (medium confidence): their ids, comma-separated.</summary>
    public const string PossibleDuplicatesHeader = "Aida-Possible-Duplicates";

    public static async Task<Result<CustomerResponse>> RunAsync(
        Request request, bool allowDuplicate, AidaDb db, DuplicateDetector duplicates, CancellationToken cancellationToken)
    {
        if (AccountMapping.ForbiddenTaxId(db, "account.taxId", request.Account?.TaxId) is { } forbidden)
        {
            return forbidden;
        }

        var errors = new ValidationErrors();
        var ownerId = request.OwnerId ?? db.Operation.ActorId;
        await Owners.CheckAsync(db, ownerId, errors, "ownerId", cancellationToken);
        if (request.ParentId is { } parentId && !await db.Set<Customer>().AnyAsync(c => c.Id == parentId, cancellationToken))
        {
            errors.Add("parentId", "No customer with this id exists.");
        }

        var created = Build(request, db.Operation.ActorId, errors);
        if (created is null || errors.Any)
        {
            return errors.ToFailure();
        }

        var customer = created.Customer;
        if (customer.ExternalId is { } externalId && await CustomerAccess.All(db).AnyAsync(c => c.ExternalId == externalId, cancellationToken))
        {
            return new Failure.Conflict("externalId", "Another customer already has this external id.");
        }

        // Two creates of one person at once must not both find no duplicate and both insert. They share an
        // identity key, and each holds its keys from the check through the insert's commit, so the later one's
        // check finds the earlier one. The check stays outside SQLite's write gate, as other writers commit.
        var probe = created.Probe();
        await using var locked = await db.BeginKeyLockedAsync(LockName.CustomerIdentity, duplicates.IdentityKeys(probe), cancellationToken);
        var candidates = await duplicates.FindAsync(probe, cancellationToken);
        var blocking = candidates.Where(c => c.Strength > duplicates.Threshold).ToList();
        if (blocking.Count > 0 && !allowDuplicate)
        {
            return new PossibleDuplicate(blocking);
        }

        // Medium confidence: created, and the candidates go back with it and to the review queue (as do those
        // created anyway over a refusal).
        var possible = candidates.Where(c => c.Strength <= duplicates.Threshold && c.Visible).ToList();
        created.AddTo(db);
        DuplicatePairs.ProposeOnCreate(db, customer.Id, candidates, db.Clock.UtcNow());
        if (blocking.Count > 0)
        {
            db.AnnotateAudit(customer, new JsonObject
            {
                ["allowDuplicate"] = true,
                ["duplicateCandidates"] = new JsonArray(blocking
                    // Whoever reads this customer's history may not see the others: those out of the actor's reach stay unnamed here too.
                    .Select(c => (JsonNode)(c.Visible ? new JsonObject { ["id"] = c.Id.ToString(), ["score"] = c.Score } : new JsonObject { ["visible"] = false }))
                    .ToArray()),
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        await locked.CommitAsync(cancellationToken);
        var body = customer.ToResponse(created.Contact) with { PossibleDuplicates = possible.Count > 0 ? possible : null };
        return Result.Ok(body, customer.Version);
    }

    /// <summary>
    /// The records a valid request describes, linked to one new customer; null (with <paramref name="errors"/>
    /// filled) when the request is invalid. Checks nothing in the database: the API and the importer add
    /// those checks their own way (one row at a time, or a batch at once).
    /// </summary>
    public static NewCustomer? Build(Request request, Guid actorId, ValidationErrors errors)
    {
        var before = errors.Count;
        if (request.Type is null)
        {
            errors.Add("type", "Is required: individual or organization.");
        }

        var displayName = errors.RequiredText("displayName", request.DisplayName, Customer.DisplayNameMaxLength);
        var externalId = errors.OptionalText("externalId", request.ExternalId, Customer.ExternalIdMaxLength);
        var addresses = new List<Address>();
        for (var i = 0; i < (request.Addresses?.Count ?? 0); i++)
        {
            if (request.Addresses![i] is null)
            {
                errors.Add($"addresses[{i}]", "Must be an address object.");
            }
            else if (request.Addresses[i].ToAddress(errors, $"addresses[{i}].") is { } address)
            {
                addresses.Add(address);
            }
        }

        AddressDefaults.ApplyToNew(addresses, errors, "addresses");

        var contact = request.PrimaryContact?.ToContact(errors, "primaryContact.");
        Account? account = null;
        if (request.Account is not null)
        {
            if (request.Type == CustomerType.Individual)
            {
                errors.Add("account", "Only organization customers have an account.");
            }
            else
            {
                account = request.Account.ToAccount(errors, AddressDefaults.CountryOf(addresses), "account.");
            }
        }

        if (errors.Count > before)
        {
            return null;
        }

        var customer = new Customer
        {
            Type = request.Type!.Value,
            DisplayName = displayName!,
            Status = request.Status ?? CustomerStatus.Prospect,
            Source = request.Source,
            ExternalId = externalId,
            OwnerId = request.OwnerId ?? actorId,
            ParentId = request.ParentId,
            CreatedBy = actorId,
        };
        if (contact is not null)
        {
            contact.CustomerId = customer.Id;
            contact.IsPrimary = true;
        }

        if (account is not null)
        {
            account.CustomerId = customer.Id;
        }

        foreach (var address in addresses)
        {
            address.CustomerId = customer.Id;
        }

        return new NewCustomer(customer, contact, account, addresses);
    }
}

/// <summary>A new customer with the records created with it.</summary>
public sealed record NewCustomer(Customer Customer, Contact? Contact, Account? Account, IReadOnlyList<Address> Addresses)
{
    /// <summary>Adds the records to the unit of work and announces each; the next save writes them all.</summary>
    public void AddTo(AidaDb db)
    {
        db.Add(Customer);
        db.Publish("customer.created", CustomerMapping.Subject(Customer.Id), () => new { customer = Customer.ToResponse(Contact) });
        if (Contact is { } contact)
        {
            db.Add(contact);
            db.Publish("contact.created", ContactMapping.Subject(contact), () => new { contact = contact.ToResponse() });
        }

        if (Account is { } account)
        {
            db.Add(account);
            db.Publish("account.created", AccountMapping.Subject(account), () => new { account = account.ToResponse() });
        }

        foreach (var address in Addresses)
        {
            db.Add(address);
            db.Publish("address.created", AddressMapping.Subject(address), () => new { address = address.ToResponse() });
        }
    }

    /// <summary>What duplicate detection compares this customer by.</summary>
    public DuplicateProbe Probe() =>
        new(Customer.Type, Customer.DisplayName, [Contact?.Email], [Contact?.Phone], [Account?.Website])
        {
            Addresses = Addresses.OrderByDescending(a => a.IsDefault)
                .Select(a => StreetAddress.Of(a.StreetLine1, a.PostalCode, a.City, a.Country)).ToList(),
            FirstName = Contact?.FirstName,
            LastName = Contact?.LastName,
        };
}
