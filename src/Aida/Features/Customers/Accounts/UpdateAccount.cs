using Aida.Features.Customers.Addresses;

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
        CancellationToken cancellationToken) =>
        (await RunAsync(customerId, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static Task<Result<AccountResponse>> RunAsync(
        Guid customerId, Request request, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.ChangeAsync(db.Set<Account>().Where(a => a.CustomerId == customerId), ifMatch, "account for this customer", async Task<Failure?> (account) =>
        {
            if (request.TaxId.IsSet && !db.Operation.Access.SeesSensitive)
            {
                return new Failure.Forbidden("taxId", "Changing a tax id needs the customers.viewSensitive permission.");
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
                return errors.ToFailure();
            }

            account.LegalName = legalName!;
            account.DbaName = dbaName;
            account.TaxId = taxId;
            account.Industry = industry;
            account.EmployeeCount = request.EmployeeCount.Or(account.EmployeeCount);
            account.AnnualRevenue = request.AnnualRevenue.Or(account.AnnualRevenue);
            account.Website = website;

            db.PublishChanges(account, "account.updated", AccountMapping.Subject(account), changes => new { account = account.ToResponse(), changes });

            return null;
        }, account => account.ToResponseFor(db), cancellationToken);
}
