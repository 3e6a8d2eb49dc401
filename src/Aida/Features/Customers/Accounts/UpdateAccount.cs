using Aida.Features.Customers.Addresses;
using Aida.Platform;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers.Accounts;

public static class UpdateAccount
{
    public sealed record Request(
        Optional<string?> LegalName,
        Optional<string?> DbaName,
        Optional<string?> TaxId,
        Optional<string?> Industry,
        Optional<EmployeeCount?> EmployeeCount,
        Optional<AnnualRevenue?> AnnualRevenue,
        Optional<string?> Website);

    public static async Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        var found = await db.Set<Account>().Where(a => a.CustomerId == customerId).FindForChangeAsync(precondition, "account for this customer", cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }

        var account = found.Record;
        if (request.TaxId.IsSet && !db.Operation.Access.SeesSensitive)
        {
            return Problems.Forbidden("taxId", "Changing a tax id needs the customers.viewSensitive permission.");
        }

        var errors = new ValidationErrors();
        var legalName = request.LegalName.IsSet ? errors.RequiredText("legalName", request.LegalName.Value, Account.LegalNameMaxLength) : account.LegalName;
        var dbaName = request.DbaName.IsSet ? errors.OptionalText("dbaName", request.DbaName.Value, Account.LegalNameMaxLength) : account.DbaName;
        var taxId = request.TaxId.IsSet
            ? AccountRules.TaxId(errors, "taxId", request.TaxId.Value, await AddressDefaults.CountryOfCustomerAsync(db, customerId, cancellationToken))
            : account.TaxId;
        var industry = request.Industry.IsSet ? errors.OptionalText("industry", request.Industry.Value, Account.IndustryMaxLength) : account.Industry;
        var website = request.Website.IsSet ? AccountRules.Website(errors, "website", request.Website.Value) : account.Website;
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        account.LegalName = legalName!;
        account.DbaName = dbaName;
        account.TaxId = taxId;
        account.Industry = industry;
        account.EmployeeCount = request.EmployeeCount.Or(account.EmployeeCount);
        account.AnnualRevenue = request.AnnualRevenue.Or(account.AnnualRevenue);
        account.Website = website;

        var changes = db.ChangedFields(account);
        if (changes.Count > 0)
        {
            db.Publish("account.updated", AccountMapping.Subject(account), () => new { account = account.ToResponse(), changes });
            await db.SaveChangesAsync(cancellationToken);
        }

        ETags.Set(response, account.Version);
        return TypedResults.Ok(account.ToResponseFor(db));
    }
}
