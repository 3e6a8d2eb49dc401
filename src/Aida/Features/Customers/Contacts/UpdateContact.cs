namespace Aida.Features.Customers.Contacts;

public static class UpdateContact
{
    public sealed record Request(
        Optional<string?> FirstName,
        Optional<string?> LastName,
        Optional<string?> Email,
        Optional<string?> Phone,
        Optional<string?> JobTitle,
        Optional<bool> IsPrimary,
        Optional<ContactStatus> Status,
        Optional<CommunicationPreference> CommunicationPreference,
        Optional<bool> DoNotContact);

    public static async Task<Results<Ok<ContactResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId,
        Guid contactId,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(customerId, contactId, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static Task<Result<ContactResponse>> RunAsync(
        Guid customerId, Guid contactId, Request request, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.ChangeAsync(db.Set<Contact>().Where(c => c.Id == contactId && c.CustomerId == customerId), ifMatch, "contact", async Task<Failure?> (contact) =>
        {
            var errors = new ValidationErrors();
            var firstName = request.FirstName.IsSet ? errors.RequiredText("firstName", request.FirstName.Value, Contact.NameMaxLength) : contact.FirstName;
            var lastName = request.LastName.IsSet ? errors.RequiredText("lastName", request.LastName.Value, Contact.NameMaxLength) : contact.LastName;
            var email = request.Email.IsSet ? errors.Email("email", request.Email.Value) : contact.Email;
            var phone = request.Phone.IsSet ? ContactRules.Phone(errors, "phone", request.Phone.Value) : contact.Phone;
            var jobTitle = request.JobTitle.IsSet ? errors.OptionalText("jobTitle", request.JobTitle.Value, Contact.JobTitleMaxLength) : contact.JobTitle;
            var preference = request.CommunicationPreference.Or(contact.CommunicationPreference);
            ContactRules.CheckPreference(errors, "communicationPreference", preference, email, phone);
            if (errors.Any)
            {
                return errors.ToFailure();
            }

            if (request.IsPrimary.IsSet && request.IsPrimary.Value && !contact.IsPrimary)
            {
                await PrimaryContacts.ResolveAsync(db, customerId, contact.Id, true, cancellationToken);
            }

            contact.FirstName = firstName!;
            contact.LastName = lastName!;
            contact.Email = email;
            contact.Phone = phone;
            contact.JobTitle = jobTitle;
            contact.IsPrimary = request.IsPrimary.Or(contact.IsPrimary);
            contact.Status = request.Status.Or(contact.Status);
            contact.CommunicationPreference = preference;
            contact.DoNotContact = request.DoNotContact.Or(contact.DoNotContact);

            db.PublishChanges(contact, "contact.updated", ContactMapping.Subject(contact), changes => new { contact = contact.ToResponse(), changes });

            return null;
        }, contact => contact.ToResponse(), cancellationToken);
}
