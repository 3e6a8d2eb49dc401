using System.Text.Json.Nodes;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Duplicates;
using Aida.Platform.Auth;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

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
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Type is null)
        {
            errors.Add("type", "Is required: individual or organization.");
        }

        var displayName = errors.RequiredText("displayName", request.DisplayName, Customer.DisplayNameMaxLength);
        var externalId = errors.OptionalText("externalId", request.ExternalId, Customer.ExternalIdMaxLength);
        var ownerId = request.OwnerId ?? db.Operation.ActorId;
        await Owners.CheckAsync(db, ownerId, errors, "ownerId", cancellationToken);
        if (request.ParentId is { } parentId && !await db.Set<Customer>().AnyAsync(c => c.Id == parentId, cancellationToken))
        {
            errors.Add("parentId", "No customer with this id exists.");
        }

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
        if (contact is not null)
        {
            contact.IsPrimary = true;
        }

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

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (externalId is not null && await db.Set<Customer>().AnyAsync(c => c.ExternalId == externalId, cancellationToken))
        {
            return Problems.Conflict("externalId", "Another customer already has this external id.");
        }

        var probe = new DuplicateProbe(request.Type!.Value, displayName!, [contact?.Email], [contact?.Phone], [account?.Website]);
        var candidates = await duplicates.FindAsync(probe, cancellationToken);
        var blocking = candidates.Where(c => c.Score > duplicates.Threshold).ToList();
        if (blocking.Count > 0 && allowDuplicate != true)
        {
            return DuplicateProblem(blocking);
        }

        var customer = new Customer
        {
            Type = request.Type.Value,
            DisplayName = displayName!,
            Status = request.Status ?? CustomerStatus.Prospect,
            Source = request.Source,
            ExternalId = externalId,
            OwnerId = ownerId,
            ParentId = request.ParentId,
            CreatedBy = db.Operation.ActorId,
        };

        db.Add(customer);
        if (blocking.Count > 0)
        {
            db.AnnotateAudit(customer, new JsonObject
            {
                ["allowDuplicate"] = true,
                ["duplicateCandidates"] = new JsonArray(blocking
                    .Select(c => (JsonNode)new JsonObject { ["id"] = c.Id.ToString(), ["score"] = c.Score })
                    .ToArray()),
            });
        }

        if (contact is not null)
        {
            contact.CustomerId = customer.Id;
            db.Add(contact);
        }

        if (account is not null)
        {
            account.CustomerId = customer.Id;
            db.Add(account);
        }

        foreach (var address in addresses)
        {
            address.CustomerId = customer.Id;
            db.Add(address);
        }

        db.Publish("customer.created", CustomerMapping.Subject(customer.Id), () => new { customer = customer.ToResponse(contact) });
        if (contact is not null)
        {
            db.Publish("contact.created", ContactMapping.Subject(contact), () => new { contact = contact.ToResponse() });
        }

        if (account is not null)
        {
            db.Publish("account.created", AccountMapping.Subject(account), () => new { account = account.ToResponse() });
        }

        foreach (var address in addresses)
        {
            db.Publish("address.created", AddressMapping.Subject(address), () => new { address = address.ToResponse() });
        }

        await db.SaveChangesAsync(cancellationToken);

        ETags.Set(response, customer.Version);
        return TypedResults.Created(CustomerMapping.Location(customer.Id), customer.ToResponse(contact));
    }

    public static ProblemHttpResult DuplicateProblem(IReadOnlyList<DuplicateCandidate> candidates) =>
        TypedResults.Problem(new ProblemDetails
        {
            Type = ProblemTypes.Duplicate,
            Title = "This customer may already exist.",
            Status = StatusCodes.Status409Conflict,
            Detail = "Existing customers match closely. Open one of them, or repeat the request with allowDuplicate=true to create it anyway.",
            Extensions = { ["candidates"] = candidates },
        });
}
