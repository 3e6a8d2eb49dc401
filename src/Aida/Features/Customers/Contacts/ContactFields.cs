namespace Aida.Features.Customers.Contacts;

/// <summary>The fields of a new contact, on its own or nested in a new customer as its primary contact.</summary>
public sealed record ContactFields(
    string? FirstName,
    string? LastName,
    string? Email,
    string? Phone,
    string? JobTitle,
    bool? IsPrimary,
    ContactStatus? Status,
    CommunicationPreference? CommunicationPreference,
    bool? DoNotContact)
{
    /// <summary>Validates into a new contact; null (with <paramref name="errors"/> filled) when invalid.</summary>
    public Contact? ToContact(ValidationErrors errors, string prefix = "")
    {
        var before = errors.Count;
        var firstName = errors.RequiredText(prefix + "firstName", FirstName, Contact.NameMaxLength);
        var lastName = errors.RequiredText(prefix + "lastName", LastName, Contact.NameMaxLength);
        var email = errors.Email(prefix + "email", Email);
        var phone = ContactRules.Phone(errors, prefix + "phone", Phone);
        var jobTitle = errors.OptionalText(prefix + "jobTitle", JobTitle, Contact.JobTitleMaxLength);
        ContactRules.CheckPreference(errors, prefix + "communicationPreference",
            CommunicationPreference ?? Contacts.CommunicationPreference.Any, email, phone);

        if (errors.Count > before)
        {
            return null;
        }

        return new Contact
        {
            FirstName = firstName!,
            LastName = lastName!,
            Email = email,
            Phone = phone,
            JobTitle = jobTitle,
            IsPrimary = IsPrimary ?? false,
            Status = Status ?? ContactStatus.Active,
            CommunicationPreference = CommunicationPreference ?? Contacts.CommunicationPreference.Any,
            DoNotContact = DoNotContact ?? false,
        };
    }
}

public static class ContactRules
{
    /// <summary>
    /// Any format is accepted (spec edge case "international phone format") as long as it holds a
    /// plausible number of digits; the normalised form is derived for matching.
    /// </summary>
    public static string? Phone(ValidationErrors errors, string field, string? value)
    {
        var phone = errors.OptionalText(field, value, Contact.PhoneMaxLength);
        if (phone is null || errors.Has(field))
        {
            return phone;
        }

        var digits = Matching.PhoneDigitCount(phone);
        if (digits is < 5 or > 20)
        {
            errors.Add(field, "Must contain 5 to 20 digits; any punctuation is fine, e.g. +1 (555) 010-9999.");
        }

        return phone;
    }

    /// <summary>A preference for a channel the contact has no address for cannot be honoured.</summary>
    public static void CheckPreference(ValidationErrors errors, string field, CommunicationPreference preference, string? email, string? phone)
    {
        if (preference == CommunicationPreference.Email && email is null)
        {
            errors.Add(field, "Is email, but the contact has no email address.");
        }
        else if (preference == CommunicationPreference.Phone && phone is null)
        {
            errors.Add(field, "Is phone, but the contact has no phone number.");
        }
    }
}
