namespace Aida.Features.Customers.Accounts;

/// <summary>The fields of a new account, on its own or nested in a new organisation customer.</summary>
public sealed record AccountFields(
    string? LegalName,
    string? DbaName,
    string? TaxId,
    string? Industry,
    EmployeeCount? EmployeeCount,
    AnnualRevenue? AnnualRevenue,
    string? Website)
{
    /// <param name="country">The customer's country, which decides the tax id format.</param>
    public Account? ToAccount(ValidationErrors errors, string? country, string prefix = "")
    {
        var before = errors.Count;
        var legalName = errors.RequiredText(prefix + "legalName", LegalName, Account.LegalNameMaxLength);
        var dbaName = errors.OptionalText(prefix + "dbaName", DbaName, Account.LegalNameMaxLength);
        var taxId = AccountRules.TaxId(errors, prefix + "taxId", TaxId, country);
        var industry = errors.OptionalText(prefix + "industry", Industry, Account.IndustryMaxLength);
        var website = AccountRules.Website(errors, prefix + "website", Website);

        if (errors.Count > before)
        {
            return null;
        }

        return new Account
        {
            LegalName = legalName!,
            DbaName = dbaName,
            TaxId = taxId,
            Industry = industry,
            EmployeeCount = EmployeeCount,
            AnnualRevenue = AnnualRevenue,
            Website = website,
        };
    }
}

public static class AccountRules
{
    public static string? TaxId(ValidationErrors errors, string field, string? value, string? country)
    {
        var taxId = errors.OptionalText(field, value, Account.TaxIdMaxLength);
        if (taxId is not null && !errors.Has(field) && TaxIds.Check(taxId, country) is { } problem)
        {
            errors.Add(field, problem);
        }

        return taxId;
    }

    public static string? Website(ValidationErrors errors, string field, string? value)
    {
        var website = errors.OptionalText(field, value, Account.WebsiteMaxLength);
        if (website is null || errors.Has(field))
        {
            return website;
        }

        var withScheme = website.Contains("://", StringComparison.Ordinal) ? website : "https://" + website;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || !uri.Host.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(field, "Must be a web address such as https://example.com or example.com.");
        }

        return website;
    }
}
