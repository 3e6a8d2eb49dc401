using Aida.Features.Customers;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Interactions;

namespace Aida.Features.Leads;

/// <summary>What a capture or an edit may say about a lead; null means "not given".</summary>
public sealed record LeadInput(
    string? FirstName,
    string? LastName,
    string? Email,
    string? Phone,
    string? Company,
    string? JobTitle,
    string? Country,
    string? SourceDetail,
    string? UtmSource,
    string? UtmMedium,
    string? UtmCampaign,
    string? UtmTerm,
    string? UtmContent,
    string? LandingPage,
    string? Referrer,
    string? Needs,
    decimal? BudgetAmount,
    string? BudgetCurrency,
    LeadAuthority? Authority,
    LeadNeed? Need,
    PurchaseTimeline? Timeline,
    Urgency? Urgency);

/// <summary>Validation shared by every way a lead is written (API, web form, edit): each field named in its error.</summary>
public static class LeadFields
{
    /// <summary>Validates <paramref name="input"/> and copies what was given onto <paramref name="lead"/>; nothing is copied if any field is bad.</summary>
    public static void Apply(ValidationErrors errors, LeadInput input, Lead lead)
    {
        var firstName = errors.OptionalText("firstName", input.FirstName, Lead.NameMaxLength);
        var lastName = errors.OptionalText("lastName", input.LastName, Lead.NameMaxLength);
        var email = errors.Email("email", input.Email);
        var phone = ContactRules.Phone(errors, "phone", input.Phone);
        var company = errors.OptionalText("company", input.Company, Lead.CompanyMaxLength);
        var jobTitle = errors.OptionalText("jobTitle", input.JobTitle, Lead.JobTitleMaxLength);
        var country = string.IsNullOrWhiteSpace(input.Country) ? null : AddressRules.Country(errors, "country", input.Country);
        var sourceDetail = errors.OptionalText("sourceDetail", input.SourceDetail, Lead.SourceDetailMaxLength);
        var utmSource = errors.OptionalText("utm.source", input.UtmSource, Lead.UtmMaxLength);
        var utmMedium = errors.OptionalText("utm.medium", input.UtmMedium, Lead.UtmMaxLength);
        var utmCampaign = errors.OptionalText("utm.campaign", input.UtmCampaign, Lead.UtmMaxLength);
        var utmTerm = errors.OptionalText("utm.term", input.UtmTerm, Lead.UtmMaxLength);
        var utmContent = errors.OptionalText("utm.content", input.UtmContent, Lead.UtmMaxLength);
        var landingPage = Url(errors, "landingPage", input.LandingPage);
        var referrer = Url(errors, "referrer", input.Referrer);
        var needs = LogInteraction.LongText(errors, "needs", input.Needs, Lead.NeedsMaxLength);
        Money.Amount(errors, "budgetAmount", input.BudgetAmount);
        var currency = Money.Currency(errors, "budgetCurrency", input.BudgetCurrency, required: input.BudgetAmount is not null && lead.BudgetCurrency is null);
        if (errors.Any)
        {
            return;
        }

        lead.FirstName = firstName ?? lead.FirstName;
        lead.LastName = lastName ?? lead.LastName;
        lead.Email = email ?? lead.Email;
        lead.Phone = phone ?? lead.Phone;
        lead.Company = company ?? lead.Company;
        lead.JobTitle = jobTitle ?? lead.JobTitle;
        lead.Country = country ?? lead.Country;
        lead.SourceDetail = sourceDetail ?? lead.SourceDetail;
        lead.UtmSource = utmSource ?? lead.UtmSource;
        lead.UtmMedium = utmMedium ?? lead.UtmMedium;
        lead.UtmCampaign = utmCampaign ?? lead.UtmCampaign;
        lead.UtmTerm = utmTerm ?? lead.UtmTerm;
        lead.UtmContent = utmContent ?? lead.UtmContent;
        lead.LandingPage = landingPage ?? lead.LandingPage;
        lead.Referrer = referrer ?? lead.Referrer;
        lead.Needs = needs ?? lead.Needs;
        lead.BudgetAmount = input.BudgetAmount ?? lead.BudgetAmount;
        lead.BudgetCurrency = currency ?? lead.BudgetCurrency;
        lead.Authority = input.Authority ?? lead.Authority;
        lead.Need = input.Need ?? lead.Need;
        lead.Timeline = input.Timeline ?? lead.Timeline;
        lead.Urgency = input.Urgency ?? lead.Urgency;
    }

    /// <summary>A lead must be reachable: an email address or a phone number.</summary>
    public static void RequireContactPoint(ValidationErrors errors, Lead lead)
    {
        if (lead.Email is null && lead.Phone is null && !errors.Has("email") && !errors.Has("phone"))
        {
            errors.Add("email", "An email address or a phone number is required.");
        }
    }

    /// <summary>An absolute http(s) URL, as browsers send in Referer.</summary>
    public static string? Url(ValidationErrors errors, string field, string? value)
    {
        var url = errors.OptionalText(field, value, Lead.UrlMaxLength);
        if (url is not null && !errors.Has(field)
            && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            errors.Add(field, "Must be an absolute http or https URL.");
        }

        return url;
    }
}
