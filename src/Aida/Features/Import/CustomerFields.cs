using System.Text;
using Aida.Features.Customers;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;

namespace Aida.Features.Import;

public static class ImportEntities
{
    public const string Customers = "customers";
    public const string Contacts = "contacts";
    public const string Interactions = "interactions";
    public const string Leads = "leads";

    /// <summary>The entity types the wizard imports.</summary>
    public static readonly IReadOnlyList<string> Supported = [Customers, Contacts, Interactions, Leads];
}

/// <summary>A field a column can be mapped to, with the header names that suggest it (compared without case, accents or punctuation).</summary>
public sealed record ImportField(string Name, string Label, params string[] Synonyms);

/// <summary>
/// The customer fields of an import row: the customer, its primary contact, one address, its account
/// (organisations) and its parent organisation by name or external id. Header names suggest fields by
/// their synonyms in English, German, French and Spanish, and by the names CRMs export them under.
/// </summary>
public static class CustomerFields
{
    public static readonly IReadOnlyList<ImportField> All =
    [
        new("type", "Type (individual or organization)", "type", "customer type", "kind", "typ", "art", "record type"),
        new("displayName", "Name", "name", "display name", "customer name", "customer", "company", "company name", "organisation", "organization", "account name", "full name", "firma", "kunde", "nom", "nombre", "empresa", "raison sociale"),
        new("status", "Status", "status", "customer status", "estado", "statut"),
        new("source", "Source", "source", "lead source", "quelle", "origen", "origine"),
        new("externalId", "External id", "external id", "id", "customer id", "customer number", "crm id", "account id", "account number", "kundennummer", "reference", "ref", "client id"),
        new("parentName", "Parent organisation (name)", "parent", "parent name", "parent company", "parent organisation", "parent organization", "parent account", "muttergesellschaft"),
        new("parentExternalId", "Parent organisation (external id)", "parent id", "parent external id", "parent account id", "parent customer id"),
        new("contact.firstName", "Contact first name", "first name", "firstname", "primary contact first name", "contact first name", "first", "given name", "forename", "vorname", "prenom", "nombre de pila"),
        new("contact.lastName", "Contact last name", "last name", "lastname", "primary contact last name", "contact last name", "last", "surname", "family name", "nachname", "nom de famille", "apellido", "apellidos"),
        new("contact.email", "Contact email", "email", "e-mail", "email address", "primary contact email", "contact email", "mail", "e-mail-adresse", "courriel", "correo", "correo electronico"),
        new("contact.phone", "Contact phone", "phone", "telephone", "phone number", "primary contact phone", "contact phone", "tel", "mobile", "mobile phone", "telefon", "telefono", "telephone number", "cell"),
        new("contact.jobTitle", "Contact job title", "job title", "title", "position", "role", "jobtitle", "funktion", "poste", "cargo"),
        new("address.type", "Address type (billing, shipping, …)", "address type"),
        new("address.streetLine1", "Street", "street", "address", "address line 1", "street address", "street 1", "billing street", "mailing street", "strasse", "adresse", "rue", "calle", "direccion"),
        new("address.streetLine2", "Street (second line)", "address line 2", "street 2", "street line 2"),
        new("address.city", "City", "city", "town", "ort", "stadt", "ville", "ciudad", "billing city", "mailing city"),
        new("address.stateProvince", "State or province", "state", "province", "region", "county", "state province", "bundesland", "provincia"),
        new("address.postalCode", "Postal code", "postal code", "zip", "zip code", "postcode", "post code", "plz", "code postal", "codigo postal", "billing postal code", "mailing postal code"),
        new("address.country", "Country (ISO code or name)", "country", "country code", "land", "pays", "pais", "billing country", "mailing country"),
        new("account.legalName", "Legal name", "legal name", "registered name", "company legal name"),
        new("account.taxId", "Tax id (VAT)", "tax id", "vat", "vat id", "vat number", "ust id", "ust-idnr", "tax number", "numero de tva", "nif", "cif"),
        new("account.industry", "Industry", "industry", "sector", "branche", "industrie", "sector industrial"),
        new("account.website", "Website", "website", "web site", "web", "url", "homepage", "domain", "site web", "sitio web"),
    ];

    public static readonly IReadOnlyDictionary<string, int> Index = All.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);

    private static readonly Dictionary<string, string> BySynonym = All
        .SelectMany(f => f.Synonyms.Append(f.Name).Select(s => (Key: Normalize(s), f.Name)))
        .GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);

    /// <summary>Lower case, accents and punctuation removed: "E-Mail-Adresse" and "email adresse" are one.</summary>
    public static string Normalize(string header)
    {
        var decomposed = header.Replace("ß", "ss", StringComparison.Ordinal).Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (char.IsLetterOrDigit(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>The field a header suggests, if any; each field is suggested for one column at most (the first).</summary>
    public static Dictionary<string, string?> Suggest(IReadOnlyList<string> headers)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var suggestion = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var header in headers)
        {
            var field = BySynonym.GetValueOrDefault(Normalize(header));
            suggestion[header] = field is not null && taken.Add(field) ? field : null;
        }

        return suggestion;
    }

    /// <summary>A customer row's values, by field index (<see cref="Index"/>); null where no column is mapped or the cell is empty.</summary>
    public sealed record Parsed(NewCustomer? Customer, ValidationErrors Errors, string? ParentName, string? ParentExternalId);

    /// <summary>
    /// The records a row describes, validated exactly as <c>POST /api/v1/customers</c> validates
    /// (<see cref="CreateCustomer.Build"/>); errors are keyed by import field name, not by API path.
    /// </summary>
    public static Parsed Build(string?[] values, Guid actorId)
    {
        string? V(string field) => values[Index[field]];
        var errors = new ValidationErrors();

        CustomerType? type = null;
        if (V("type") is { } typeText)
        {
            type = ParseType(typeText);
            if (type is null)
            {
                errors.Add("type", "Must be individual or organization (person and company are understood too).");
            }
        }

        var firstName = V("contact.firstName");
        var lastName = V("contact.lastName");
        var hasAccountFields = V("account.legalName") is not null || V("account.taxId") is not null || V("account.industry") is not null || V("account.website") is not null;
        // Without a type column: a row naming a person is an individual, one naming only a company an organisation.
        type ??= errors.Has("type") ? null : firstName is not null && lastName is not null && !hasAccountFields ? CustomerType.Individual : CustomerType.Organization;

        var displayName = V("displayName") ?? (firstName is not null || lastName is not null ? $"{firstName} {lastName}".Trim() : null);
        var status = ParseEnum<CustomerStatus>(V("status"), "status", errors);
        var source = ParseEnum<CustomerSource>(V("source"), "source", errors) ?? CustomerSource.Import;
        var addressType = ParseEnum<AddressType>(V("address.type"), "address.type", errors) ?? AddressType.Billing;

        ContactFields? contact = firstName is not null || lastName is not null || V("contact.email") is not null || V("contact.phone") is not null || V("contact.jobTitle") is not null
            ? new ContactFields(firstName, lastName, V("contact.email"), V("contact.phone"), V("contact.jobTitle"), true, null, null, null)
            : null;
        AddressFields[]? addresses = V("address.streetLine1") is not null || V("address.city") is not null || V("address.postalCode") is not null || V("address.country") is not null
            ? [new AddressFields(addressType, true, V("address.streetLine1"), V("address.streetLine2"), V("address.city"), V("address.stateProvince"), V("address.postalCode"), V("address.country"), null, null)]
            : null;
        AccountFields? account = hasAccountFields && type == CustomerType.Organization
            ? new AccountFields(V("account.legalName") ?? displayName, null, V("account.taxId"), V("account.industry"), null, null, V("account.website"))
            : null;
        if (hasAccountFields && type == CustomerType.Individual)
        {
            errors.Add("type", "Only organizations have a legal name, tax id, industry or website; this row is an individual.");
        }

        if (errors.Any)
        {
            return new Parsed(null, errors, null, null);
        }

        var request = new CreateCustomer.Request(type, displayName, status, source, V("externalId"), null, null, contact, account, addresses);
        var apiErrors = new ValidationErrors();
        var built = CreateCustomer.Build(request, actorId, apiErrors);
        foreach (var (key, messages) in apiErrors.ToDictionary())
        {
            foreach (var message in messages)
            {
                errors.Add(FieldOfApiKey(key), message);
            }
        }

        return new Parsed(errors.Any ? null : built, errors, V("parentName"), V("parentExternalId"));
    }

    /// <summary>The import field an API validation key is about: <c>primaryContact.email</c> is <c>contact.email</c>.</summary>
    public static string FieldOfApiKey(string key)
    {
        if (key.StartsWith("primaryContact.", StringComparison.Ordinal))
        {
            return "contact." + key["primaryContact.".Length..];
        }

        if (key.StartsWith("addresses[", StringComparison.Ordinal))
        {
            var dot = key.IndexOf("].", StringComparison.Ordinal);
            var rest = dot < 0 ? "" : key[(dot + 2)..];
            return rest == "addressType" ? "address.type" : rest.Length > 0 ? "address." + rest : "address.streetLine1";
        }

        return key switch
        {
            "primaryContact" => "contact.firstName",
            "addresses" => "address.type",
            "account" => "type",
            _ => key,
        };
    }

    private static CustomerType? ParseType(string text) => Normalize(text) switch
    {
        "individual" or "person" or "privateperson" or "private" or "consumer" or "b2c" or "privat" or "particulier" or "particular" => CustomerType.Individual,
        "organization" or "organisation" or "company" or "business" or "b2b" or "firma" or "unternehmen" or "entreprise" or "empresa" => CustomerType.Organization,
        _ => null,
    };

    private static T? ParseEnum<T>(string? text, string field, ValidationErrors errors) where T : struct, Enum
    {
        if (text is null)
        {
            return null;
        }

        var key = Naming.ToSnakeCase(text.Trim().Replace(' ', '_').Replace('-', '_')).ToLowerInvariant();
        if (EnumText<T>.TryParse(key, out var value) || EnumText<T>.TryParse(text.Trim().ToLowerInvariant(), out value))
        {
            return value;
        }

        errors.Add(field, $"Must be one of: {string.Join(", ", EnumText<T>.AllNames)}.");
        return null;
    }
}
