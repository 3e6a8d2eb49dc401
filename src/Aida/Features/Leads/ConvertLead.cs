using Aida.Features.Customers;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Duplicates;
using Aida.Features.Deals;
using Aida.Features.Interactions;

namespace Aida.Features.Leads;

/// <summary>
/// The AIDA Convert step (<c>POST /api/v1/leads/{id}/convert</c>): the lead becomes a customer (new, with an
/// account for an organisation, or an existing one), a contact (new from the lead, or an existing one of
/// that customer), optionally a deal; its touches move to the customer's interactions; it is marked
/// converted and <c>lead.converted</c> is published. All of it in one transaction.
/// <para>
/// Idempotent: a converted lead answers 200 with what it became and writes nothing, whatever the body
/// says. Concurrent retries serialise on <see cref="LockName.LeadConversion"/> (SQLite's write gate
/// does the same there) and read the lead only once they hold it, so exactly one of them converts.
/// </para>
/// <para>
/// A lost lead must be reopened first (409): conversion would silently undo a decision somebody recorded
/// with a reason. A disqualified one likewise, because conversion qualifies it. An unresponsive lead can be
/// converted: it went quiet, and now it has answered.
/// </para>
/// </summary>
public static class ConvertLead
{
    public sealed record Request(CustomerPart? Customer, ContactPart? Contact, DealPart? Deal);

    /// <param name="ExistingCustomerId">Link to this customer instead of creating one.</param>
    /// <param name="Type">For a new customer: organization when the lead names a company, else individual.</param>
    /// <param name="DisplayName">For a new customer: the company, or the person's name.</param>
    /// <param name="OwnerId">For a new customer: the lead's assignee, or the actor.</param>
    /// <param name="AllowDuplicate">Create the customer even if existing ones match closely (as <c>allowDuplicate=true</c> on customer creation).</param>
    public sealed record CustomerPart(Guid? ExistingCustomerId, CustomerType? Type, string? DisplayName, Guid? OwnerId, bool? AllowDuplicate);

    /// <summary>An existing contact of the linked customer, or a new one from the lead's details, each overridable.</summary>
    public sealed record ContactPart(Guid? ExistingContactId, string? FirstName, string? LastName, string? Email, string? Phone, string? JobTitle);

    public sealed record DealPart(string? Title, decimal? Value, string? Currency, Guid? PipelineId, Guid? StageId, DateOnly? ExpectedCloseOn, Guid? OwnerId);

    public sealed record Response(LeadResponse Lead, Guid CustomerId, Guid? ContactId, Guid? AccountId, Guid? DealId, int MovedInteractions);

    /// <summary>What the lead became; <paramref name="Repeated"/> when it had been converted before and nothing was written now.</summary>
    public sealed record Conversion(Response Response, bool Repeated);

    public static async Task<Results<Created<Response>, Ok<Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] Request? request, AidaDb db, DuplicateDetector duplicates, HttpResponse response, CancellationToken cancellationToken)
    {
        var converted = await RunAsync(id, request, db, duplicates, cancellationToken);
        if (converted.Failure is Failure.Invalid invalid)
        {
            return invalid.ToValidationProblem();
        }

        if (converted.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        ETags.Set(response, converted.Version!.Value);
        var (result, repeated) = converted.Value!;
        return repeated ? TypedResults.Ok(result) : TypedResults.Created(CustomerMapping.Location(result.CustomerId), result);
    }

    public static Task<Result<Conversion>> RunAsync(
        Guid id, Request? request, AidaDb db, DuplicateDetector duplicates, CancellationToken cancellationToken)
    {
        request ??= new Request(null, null, null);
        Func<Lead, Conversion>? answer = null;
        // No If-Match: a retry must find the conversion done, whatever version it saw. The lead is read only
        // holding the lock, so a conversion that committed while this request waited is seen.
        return db.ChangeAsync(db.Set<Lead>().Where(l => l.Id == id), ifMatch: null, "lead",
            holdFirst: token => db.LockAsync(LockName.LeadConversion, token),
            async Task<Failure?> (lead) =>
            {
                if (lead.Status == LeadStatus.Converted)
                {
                    var before = await ResultOfAsync(db, lead, cancellationToken);
                    answer = _ => new Conversion(before, Repeated: true);
                    return null;
                }

                if (lead.Status == LeadStatus.Lost)
                {
                    return new Failure.Conflict("status", "The lead is lost; reopen it before converting it.");
                }

                if (lead.QualificationStatus == QualificationStatus.Disqualified)
                {
                    return new Failure.Conflict("qualificationStatus", "The lead is disqualified; qualify it again before converting it.");
                }

                var errors = new ValidationErrors();
                var target = await ResolveCustomerAsync(db, lead, request, errors, cancellationToken);
                var deal = await ValidateDealAsync(db, lead, request.Deal, target?.OwnerId, errors, cancellationToken);
                if (target is null || errors.Any || (request.Deal is not null && deal is null))
                {
                    return errors.ToFailure();
                }

                if (target.Created is { } created)
                {
                    var candidates = await duplicates.FindAsync(created.Probe(), cancellationToken);
                    var blocking = candidates.Where(c => c.Strength > duplicates.Threshold).ToList();
                    if (blocking.Count > 0 && request.Customer?.AllowDuplicate != true)
                    {
                        // The wizard offers these to link instead; the API caller may pass customer.allowDuplicate.
                        return new PossibleDuplicate(blocking);
                    }

                    created.AddTo(db);
                }
                else if (target.NewContact is { } contact)
                {
                    contact.IsPrimary = await PrimaryContacts.ResolveAsync(db, target.CustomerId, null, null, cancellationToken);
                    db.Add(contact);
                    db.Publish("contact.created", ContactMapping.Subject(contact), () => new { contact = contact.ToResponse() });
                }

                if (deal is not null)
                {
                    deal.CustomerId = target.CustomerId;
                    deal.ContactId = target.ContactId;
                    deal.LeadId = lead.Id;
                    await OpenDeal.AddAsync(db, deal, cancellationToken);
                }

                var touches = await MoveInteractionsAsync(db, lead, target.CustomerId, target.ContactId, cancellationToken);
                // The new rows first: nothing in the model tells EF that the lead and its touches point at them.
                await db.SaveChangesAsync(cancellationToken);
                foreach (var (touch, interaction) in touches)
                {
                    touch.InteractionId = interaction.Id;
                }

                lead.Status = LeadStatus.Converted;
                lead.ConvertedCustomerId = target.CustomerId;
                lead.ConvertedContactId = target.ContactId;
                lead.ConvertedOpportunityId = deal?.Id;
                lead.ConvertedAt = db.Clock.UtcNow();
                lead.NextFollowUpAt = null;
                if (lead.QualificationStatus != QualificationStatus.Qualified)
                {
                    lead.QualificationStatus = QualificationStatus.Qualified;
                    lead.QualificationReason ??= "Converted";
                }

                db.Publish("lead.converted", LeadMapping.Subject(lead),
                    () => new { leadId = lead.Id, customerId = target.CustomerId, contactId = target.ContactId, dealId = deal?.Id });
                // Answered once saved, so the lead in it carries its new version.
                answer = saved => new Conversion(
                    new Response(saved.ToResponse(), target.CustomerId, target.ContactId, target.Created?.Account?.Id ?? target.AccountId, deal?.Id, touches.Count),
                    Repeated: false);
                return null;
            },
            lead => answer!(lead),
            cancellationToken);
    }

    /// <summary>What a converted lead became, read back for a retry.</summary>
    public static async Task<Response> ResultOfAsync(AidaDb db, Lead lead, CancellationToken cancellationToken)
    {
        var customerId = lead.ConvertedCustomerId!.Value;
        var accountId = await db.Set<Account>().IgnoreQueryFilters().Where(a => a.CustomerId == customerId && a.DeletedAt == null)
            .Select(a => (Guid?)a.Id).FirstOrDefaultAsync(cancellationToken);
        var moved = await db.Set<LeadInteraction>().CountAsync(i => i.LeadId == lead.Id && i.InteractionId != null, cancellationToken);
        return new Response(lead.ToResponse(), customerId, lead.ConvertedContactId, accountId, lead.ConvertedOpportunityId, moved);
    }

    /// <summary>The customer and contact the lead converts into: new ones to add, or existing ones checked.</summary>
    private sealed record Target(Guid CustomerId, Guid? ContactId, Guid? OwnerId, Guid? AccountId, NewCustomer? Created, Contact? NewContact);

    private static async Task<Target?> ResolveCustomerAsync(AidaDb db, Lead lead, Request request, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var part = request.Customer;
        var contactPart = request.Contact;
        if (part?.ExistingCustomerId is { } customerId)
        {
            var customer = await db.Set<Customer>().AsNoTracking().Where(c => c.Id == customerId)
                .Select(c => new { c.Id, c.OwnerId }).FirstOrDefaultAsync(cancellationToken);
            if (customer is null)
            {
                errors.Add("customer.existingCustomerId", "No customer with this id exists.");
                return null;
            }

            var accountId = await db.Set<Account>().Where(a => a.CustomerId == customerId).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(cancellationToken);
            if (contactPart?.ExistingContactId is { } contactId)
            {
                if (!await db.Set<Contact>().AnyAsync(c => c.Id == contactId && c.CustomerId == customerId, cancellationToken))
                {
                    errors.Add("contact.existingContactId", "No contact with this id exists for this customer.");
                    return null;
                }

                return new Target(customerId, contactId, customer.OwnerId, accountId, null, null);
            }

            var contact = ContactFrom(lead, contactPart).ToContact(errors, "contact.");
            if (contact is null)
            {
                return null;
            }

            contact.CustomerId = customerId;
            return new Target(customerId, contact.Id, customer.OwnerId, accountId, null, contact);
        }

        if (contactPart?.ExistingContactId is not null)
        {
            errors.Add("contact.existingContactId", "An existing contact can only be linked with its customer (customer.existingCustomerId); a new customer gets a new contact.");
        }

        var type = part?.Type ?? (lead.Company is null ? CustomerType.Individual : CustomerType.Organization);
        var personName = string.Join(' ', new[] { lead.FirstName, lead.LastName }.Where(n => n is not null));
        var displayName = part?.DisplayName
            ?? (type == CustomerType.Organization ? lead.Company ?? NullIfEmpty(personName) : NullIfEmpty(personName) ?? lead.Company);
        var ownerId = part?.OwnerId ?? await DefaultOwnerAsync(db, lead, cancellationToken);
        await Owners.CheckAsync(db, ownerId, errors, "customer.ownerId", cancellationToken);

        // The same rules as POST /api/v1/customers: its field names, nested here under customer and contact.
        var built = new ValidationErrors();
        var creation = new CreateCustomer.Request(
            type, displayName, CustomerStatus.Prospect, SourceOf(lead.SourceType), null, ownerId, null,
            ContactFrom(lead, contactPart),
            type == CustomerType.Organization ? new AccountFields(displayName, null, null, null, null, null, null) : null,
            null);
        var created = CreateCustomer.Build(creation, db.Operation.ActorId, built);
        foreach (var (field, messages) in built.ToDictionary())
        {
            var named = field.StartsWith("primaryContact.", StringComparison.Ordinal)
                ? "contact." + field["primaryContact.".Length..]
                : field.StartsWith("account.", StringComparison.Ordinal) ? "customer.displayName" : "customer." + field;
            foreach (var message in messages)
            {
                if (!(field.StartsWith("account.", StringComparison.Ordinal) && errors.Has(named)))
                {
                    errors.Add(named, message);
                }
            }
        }

        if (created is null || errors.Any)
        {
            return null;
        }

        return new Target(created.Customer.Id, created.Contact?.Id, ownerId, created.Account?.Id, created, null);
    }

    /// <summary>The lead's assignee if they can still own records, else whoever converts it.</summary>
    private static async Task<Guid> DefaultOwnerAsync(AidaDb db, Lead lead, CancellationToken cancellationToken) =>
        lead.AssignedTo is { } assignee && await db.Set<User>().AnyAsync(u => u.Id == assignee && u.IsActive, cancellationToken)
            ? assignee
            : db.Operation.ActorId;

    private static ContactFields ContactFrom(Lead lead, ContactPart? part) => new(
        part?.FirstName ?? lead.FirstName,
        part?.LastName ?? lead.LastName,
        part?.Email ?? lead.Email,
        part?.Phone ?? lead.Phone,
        part?.JobTitle ?? lead.JobTitle,
        IsPrimary: null, Status: null, CommunicationPreference: null, DoNotContact: null);

    private static CustomerSource SourceOf(LeadSourceType source) => source switch
    {
        LeadSourceType.Website => CustomerSource.Web,
        LeadSourceType.Referral => CustomerSource.Referral,
        LeadSourceType.Api => CustomerSource.Api,
        _ => CustomerSource.Sales,
    };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>The deal the request describes, validated (fields named under <c>deal.</c>); null when none was asked for or it is invalid.</summary>
    private static async Task<Opportunity?> ValidateDealAsync(
        AidaDb db, Lead lead, DealPart? part, Guid? customerOwnerId, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (part is null)
        {
            return null;
        }

        var before = errors.Count;
        var title = errors.RequiredText("deal.title", part.Title, Opportunity.TitleMaxLength);
        var value = part.Value ?? lead.BudgetAmount ?? 0m;
        Money.Amount(errors, "deal.value", value);
        var currency = Money.Currency(errors, "deal.currency", part.Currency ?? lead.BudgetCurrency, required: true);
        var pipelineId = part.PipelineId ?? Guid.Empty;
        if (part.PipelineId is { } chosen && !await db.Set<Pipeline>().AnyAsync(p => p.Id == chosen, cancellationToken))
        {
            errors.Add("deal.pipelineId", "No pipeline with this id exists.");
        }

        if (part.StageId is { } stageId)
        {
            var stage = await db.Set<PipelineStage>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == stageId, cancellationToken);
            if (stage is null || (part.PipelineId is not null && stage.PipelineId != part.PipelineId)
                || (part.PipelineId is null && stage.PipelineId != await DefaultPipelineAsync(db, cancellationToken)))
            {
                errors.Add("deal.stageId", "No stage with this id exists in the deal's pipeline.");
            }
            else if (stage.Kind != StageKind.Open)
            {
                errors.Add("deal.stageId", "A converted lead opens a deal: choose an open stage, not a closing one.");
            }
            else
            {
                pipelineId = stage.PipelineId;
            }
        }

        var ownerId = part.OwnerId ?? customerOwnerId ?? db.Operation.ActorId;
        if (part.OwnerId is { } owner)
        {
            await Owners.CheckAsync(db, owner, errors, "deal.ownerId", cancellationToken, records: "deals");
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new Opportunity
        {
            Title = title!,
            Description = lead.Needs,
            Value = value,
            Currency = currency!,
            PipelineId = pipelineId,
            StageId = part.StageId ?? Guid.Empty,
            ExpectedCloseOn = part.ExpectedCloseOn,
            OwnerId = ownerId,
            Source = EnumText<LeadSourceType>.ToText(lead.SourceType),
            Priority = lead.Urgency switch
            {
                Urgency.Low => DealPriority.Low,
                Urgency.High => DealPriority.High,
                Urgency.Urgent => DealPriority.Urgent,
                _ => DealPriority.Medium,
            },
        };
    }

    private static Task<Guid> DefaultPipelineAsync(AidaDb db, CancellationToken cancellationToken) =>
        db.Set<Pipeline>().Where(p => p.IsDefault).Select(p => p.Id).SingleAsync(cancellationToken);

    /// <summary>
    /// Copies each of the lead's touches into the customer's interactions (about the lead, so the timeline
    /// and search show where they came from), through the same path as a logged interaction.
    /// </summary>
    private static async Task<List<(LeadInteraction Touch, Interaction Interaction)>> MoveInteractionsAsync(
        AidaDb db, Lead lead, Guid customerId, Guid? contactId, CancellationToken cancellationToken)
    {
        var touches = await db.Set<LeadInteraction>().Where(i => i.LeadId == lead.Id && i.InteractionId == null)
            .OrderBy(i => i.OccurredAt).ToListAsync(cancellationToken);
        var moved = new List<(LeadInteraction, Interaction)>(touches.Count);
        foreach (var touch in touches)
        {
            var interaction = new Interaction
            {
                CustomerId = customerId,
                ContactId = contactId,
                InteractionType = touch.InteractionType,
                Direction = touch.Direction,
                Subject = touch.Subject,
                Description = touch.Description,
                OccurredAt = touch.OccurredAt,
                Outcome = touch.Outcome,
                Source = InteractionSource.Manual,
                RelatedType = RelatedRecordType.Lead,
                RelatedId = lead.Id,
                // Logged when it happened, not now: it is not backdated.
                CreatedAt = touch.CreatedAt,
            };
            LogInteraction.Add(db, interaction);
            // Whoever logged the touch logged the interaction; a web-form submission has no one, so the converter.
            interaction.CreatedBy = touch.CreatedBy ?? db.Operation.ActorId;
            moved.Add((touch, interaction));
        }

        return moved;
    }
}
