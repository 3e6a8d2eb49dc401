using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Duplicates;
using Aida.Features.Customers.Pages;
using Aida.Features.Deals;

namespace Aida.Features.Leads.Pages;

/// <summary>
/// The convert wizard (<c>/leads/{id}/convert</c>): customer, contact, deal and a summary on one page, prefilled
/// from the lead, converted through <see cref="ConvertLead.RunAsync"/> so the page and the API share every rule.
/// Works without JavaScript: the customer picker's Find button and "Show contacts" post the form back.
/// </summary>
public static class ConvertLeadPages
{
    public sealed record ContactChoice(Guid Id, string Name, string? Email);

    public sealed record Wizard(
        UiContext Context,
        Lead Lead,
        FormValues Values,
        IReadOnlyDictionary<string, string[]>? Errors,
        IReadOnlyList<CustomerResponse> Matches,
        string? ChosenCustomerName,
        IReadOnlyList<ContactChoice> Contacts,
        IReadOnlyList<PipelineStage> Stages,
        int Touches,
        IReadOnlyList<DuplicateCandidate> Duplicates);

    public static async Task<IResult> Show(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var lead = await db.Set<Lead>().AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lead is null)
        {
            return Html.NotFound(http, "lead");
        }

        var stages = await StagesAsync(db, cancellationToken);
        return await RenderAsync(http, db, lead, Prefilled(lead, stages, UiContext.For(http).Day(db.Clock.UtcNow())), null, [], StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> Convert(Guid id, HttpContext http, AidaDb db, DuplicateDetector duplicates, IFormCollection posted, CancellationToken cancellationToken)
    {
        var lead = await db.Set<Lead>().AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lead is null)
        {
            return Html.NotFound(http, "lead");
        }

        var values = new FormValues(posted);
        if (values.Text("find") is not null || values.Text("refresh") is not null)
        {
            // Find a customer, or show the chosen one's contacts: the form comes back as it was, nothing converted.
            return await RenderAsync(http, db, lead, values, null, [], StatusCodes.Status200OK, cancellationToken);
        }

        var request = RequestOf(values);
        if (values.Errors.Any)
        {
            return await RenderAsync(http, db, lead, values, values.OwnErrors, [], StatusCodes.Status400BadRequest, cancellationToken);
        }

        var converted = await ConvertLead.RunAsync(id, request, db, duplicates, cancellationToken);
        switch (converted.Failure)
        {
            case null:
                var (result, repeated) = converted.Value!;
                var message = repeated
                    ? "The lead was already converted."
                    : $"The lead was converted{(result.DealId is null ? "" : " and a deal was opened")}{(result.MovedInteractions > 0 ? $"; {result.MovedInteractions} touches moved to the customer's timeline" : "")}.";
                return Html.Done(http, result.DealId is { } dealId ? $"/deals/{dealId}" : $"/customers/{result.CustomerId}", message);
            case Failure.NotFound:
                return Html.NotFound(http, "lead");
            case PossibleDuplicate duplicate:
                var offer = new Dictionary<string, string[]> { ["customer.allowDuplicate"] = ["Existing customers match closely: link one of them, or tick “Create it anyway”."] };
                return await RenderAsync(http, db, lead, values, offer, duplicate.Candidates, duplicate.StatusCode, cancellationToken);
            case var failure:
                return await RenderAsync(http, db, lead, values, values.With(failure.FieldErrors), [], failure.StatusCode, cancellationToken);
        }
    }

    private static ConvertLead.Request RequestOf(FormValues values)
    {
        ConvertLead.CustomerPart customer;
        if (values["customer.mode"] == "existing")
        {
            var existing = values.Id("customer.existingCustomerId");
            if (existing is null && !values.Errors.Has("customer.existingCustomerId"))
            {
                values.Errors.Add("customer.existingCustomerId", "Find and choose the customer to link.");
            }

            customer = new ConvertLead.CustomerPart(existing, null, null, null, null);
        }
        else
        {
            customer = new ConvertLead.CustomerPart(null, values.Enum<CustomerType>("customer.type"), values.Text("customer.displayName"), null, values.Flag("customer.allowDuplicate"));
        }

        ConvertLead.ContactPart contact;
        if (values["contact.mode"] == "existing")
        {
            var existing = values.Id("contact.existingContactId");
            if (existing is null && !values.Errors.Has("contact.existingContactId"))
            {
                values.Errors.Add("contact.existingContactId", "Choose one of the customer's contacts (Show contacts lists them).");
            }

            contact = new ConvertLead.ContactPart(existing, null, null, null, null, null);
        }
        else
        {
            contact = new ConvertLead.ContactPart(null, values.Text("contact.firstName"), values.Text("contact.lastName"),
                values.Text("contact.email"), values.Text("contact.phone"), values.Text("contact.jobTitle"));
        }

        ConvertLead.DealPart? deal = null;
        if (values.Flag("deal.open"))
        {
            decimal? amount = null;
            if (values.Text("deal.value") is { } text)
            {
                if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
                {
                    amount = parsed;
                }
                else
                {
                    values.Errors.Add("deal.value", "Must be an amount, e.g. 1500.50.");
                }
            }

            // An empty title is sent as empty, not absent, so the handler names it rather than defaulting.
            deal = new ConvertLead.DealPart(values["deal.title"] ?? "", amount, values.Text("deal.currency"), null,
                values.Id("deal.stageId"), values.Date("deal.expectedCloseOn"), null);
        }

        return new ConvertLead.Request(customer, contact, deal);
    }

    private static FormValues Prefilled(Lead lead, IReadOnlyList<PipelineStage> stages, DateOnly today)
    {
        var personal = string.Join(' ', new[] { lead.FirstName, lead.LastName }.Where(n => n is not null));
        return new FormValues(new Dictionary<string, string?>
        {
            ["customer.mode"] = "new",
            ["customer.type"] = lead.Company is null ? "individual" : "organization",
            ["customer.displayName"] = lead.Company ?? (personal.Length > 0 ? personal : null),
            ["contact.mode"] = "new",
            ["contact.firstName"] = lead.FirstName,
            ["contact.lastName"] = lead.LastName,
            ["contact.email"] = lead.Email,
            ["contact.phone"] = lead.Phone,
            ["contact.jobTitle"] = lead.JobTitle,
            ["deal.open"] = lead.BudgetAmount is null ? null : "on",
            ["deal.title"] = lead.Company ?? lead.DisplayName,
            ["deal.value"] = lead.BudgetAmount?.ToString("0.00", CultureInfo.InvariantCulture),
            ["deal.currency"] = lead.BudgetCurrency ?? "USD",
            ["deal.stageId"] = stages.Count > 0 ? stages[0].Id.ToString() : null,
            ["deal.expectedCloseOn"] = ExpectedClose(lead.Timeline, today)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
    }

    /// <summary>When the lead said it means to buy, as a close date: the end of that month, quarter or year.</summary>
    public static DateOnly? ExpectedClose(PurchaseTimeline timeline, DateOnly today) => timeline switch
    {
        PurchaseTimeline.Immediate => today.AddDays(14),
        PurchaseTimeline.ThisMonth => new DateOnly(today.Year, today.Month, 1).AddMonths(1).AddDays(-1),
        PurchaseTimeline.ThisQuarter => Forecast.Start(today, ForecastPeriod.Quarter).AddMonths(3).AddDays(-1),
        PurchaseTimeline.ThisYear => new DateOnly(today.Year, 12, 31),
        _ => null,
    };

    private static Task<List<PipelineStage>> StagesAsync(AidaDb db, CancellationToken cancellationToken) =>
        db.Set<PipelineStage>().AsNoTracking()
            .Where(s => s.Kind == StageKind.Open && db.Set<Pipeline>().Any(p => p.Id == s.PipelineId && p.IsDefault))
            .OrderBy(s => s.Position).ToListAsync(cancellationToken);

    private static async Task<IResult> RenderAsync(HttpContext http, AidaDb db, Lead lead, FormValues values, IReadOnlyDictionary<string, string[]>? errors,
        IReadOnlyList<DuplicateCandidate> duplicates, int status, CancellationToken cancellationToken)
    {
        var chosen = Guid.TryParse(values["customer.existingCustomerId"], out var customerId) ? customerId : (Guid?)null;
        var chosenName = chosen is null ? null
            : await db.Set<Customer>().AsNoTracking().Where(c => c.Id == chosen).Select(c => c.DisplayName).FirstOrDefaultAsync(cancellationToken);
        var contacts = chosenName is null ? []
            : await db.Set<Contact>().AsNoTracking().Where(c => c.CustomerId == chosen).OrderByDescending(c => c.IsPrimary).ThenBy(c => c.LastName)
                .Take(50).Select(c => new ContactChoice(c.Id, c.FirstName + " " + c.LastName, c.Email)).ToListAsync(cancellationToken);
        var matches = await CustomerPicking.MatchesAsync(db, values["customer.existingCustomerId.search"], null, false, cancellationToken);
        var touches = await db.Set<LeadInteraction>().CountAsync(i => i.LeadId == lead.Id && i.InteractionId == null, cancellationToken);
        var wizard = new Wizard(UiContext.For(http), lead, values, errors, matches, chosenName, contacts, await StagesAsync(db, cancellationToken), touches, duplicates);
        return Html.Page<ConvertLeadPage>(new { Wizard = wizard }, status);
    }
}
