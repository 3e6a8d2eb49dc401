using System.Globalization;
using Aida.Platform.Auth;
using Aida.Platform.Data;
using Aida.Platform.Http;
using Aida.Platform.Ui;

namespace Aida.Features.Leads.Pages;

/// <summary>The lead list's filters as the GET form sends them, kept as text so the form shows them back.</summary>
public sealed record LeadFilters(string? Q, string? Status, string? QualificationStatus, string? AssignedTo, string? SourceType, string? MinScore, string? Sort)
{
    public static LeadFilters From(HttpRequest request)
    {
        string? Get(string name) => request.Query[name].ToString() is { Length: > 0 } v ? v : null;
        return new LeadFilters(Get("q"), Get("status"), Get("qualificationStatus"), Get("assignedTo"), Get("sourceType"), Get("minScore"), Get("sort"));
    }

    public bool IsFiltered => Q is not null || Status is not null || QualificationStatus is not null || AssignedTo is not null || SourceType is not null || MinScore is not null;

    /// <summary>This list again from <paramref name="cursor"/>: the "more" link.</summary>
    public string Url(string? cursor = null)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("q", Q);
        Add("status", Status);
        Add("qualificationStatus", QualificationStatus);
        Add("assignedTo", AssignedTo);
        Add("sourceType", SourceType);
        Add("minScore", MinScore);
        Add("sort", Sort);
        Add("cursor", cursor);
        return parts.Count == 0 ? "/leads" : "/leads?" + string.Join('&', parts);
    }
}

/// <summary>The lead list (/leads) and the "New lead" form (/leads/new); both go through the API's handlers.</summary>
public static class LeadListPages
{
    public static async Task<IResult> List(HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var filters = LeadFilters.From(http.Request);
        var errors = new ValidationErrors();
        int? minScore = null;
        if (filters.MinScore is { } text)
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var score))
            {
                minScore = score;
            }
            else
            {
                errors.Add("minScore", "Must be a whole number from 0 to 100.");
            }
        }

        var outcome = errors.Any
            ? null
            : Outcome.Of<Page<LeadResponse>>(await ListLeads.Handle(
                new ListLeads.Query(filters.Status, filters.QualificationStatus, filters.AssignedTo, filters.SourceType, minScore, filters.Q,
                    null, null, filters.Sort, null, http.Request.Query["cursor"]), db, cancellationToken));
        var users = await UserDirectory.LoadAsync(db, cancellationToken);
        var failed = outcome is null || !outcome.Succeeded;
        return Html.Page<LeadListPage>(new
        {
            Context = UiContext.For(http),
            Filters = filters,
            Leads = outcome?.Value,
            Errors = outcome is null ? errors.ToDictionary() : outcome.FieldErrors,
            Users = users,
        }, failed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    public static IResult New(HttpContext http) =>
        Render(http, new FormValues(new Dictionary<string, string?> { ["sourceType"] = "phone", ["urgency"] = "medium" }), null);

    public static async Task<IResult> Create(HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        decimal? budget = null;
        if (values.Text("budgetAmount") is { } amount)
        {
            if (decimal.TryParse(amount, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
            {
                budget = parsed;
            }
            else
            {
                values.Errors.Add("budgetAmount", "Must be a number, e.g. 1500 or 1500.50.");
            }
        }

        var request = new CreateLead.Request(
            values.Text("firstName"), values.Text("lastName"), values.Text("email"), values.Text("phone"), values.Text("company"),
            values.Text("jobTitle"), values.Text("country"), values.Enum<LeadSourceType>("sourceType"), values.Text("sourceDetail"),
            null, null, null, values.Text("needs"), budget, values.Text("budgetCurrency"),
            values.Enum<LeadAuthority>("authority"), values.Enum<LeadNeed>("need"), values.Enum<PurchaseTimeline>("timeline"),
            values.Enum<Urgency>("urgency"), null);
        if (values.Errors.Any)
        {
            return Render(http, values, values.OwnErrors, StatusCodes.Status400BadRequest);
        }

        var result = await CreateLead.Handle(request, db, http.Response, cancellationToken);
        var created = Outcome.Of<LeadResponse>(result);
        if (created is { Succeeded: true, Status: StatusCodes.Status201Created })
        {
            return Html.Done(http, $"/leads/{created.Value!.Id}", "The lead was captured.");
        }

        if (Outcome.Of<CaptureReceipt>(result) is { Succeeded: true, Status: StatusCodes.Status202Accepted, Value: { } receipt })
        {
            // Out of the user's reach (routed elsewhere, or another team's lead or contact): the same words in every case.
            return Html.Done(http, "/leads", receipt.Message);
        }

        var attached = Outcome.Of<CaptureAttachedResponse>(result);
        if (attached is { Succeeded: true, Value: { } known })
        {
            return known.LeadId is { } leadId
                ? Html.Done(http, $"/leads/{leadId}", "This person is already an open lead: the capture was added to it.")
                : Html.Done(http, $"/customers/{known.CustomerId}?tab=timeline", "This person is already a contact: the capture was logged on their customer.");
        }

        return Render(http, values, values.With(attached.FieldErrors), attached.Status);
    }

    private static IResult Render(HttpContext http, FormValues values, IReadOnlyDictionary<string, string[]>? errors, int status = StatusCodes.Status200OK) =>
        Html.Page<NewLeadPage>(new { Context = UiContext.For(http), Values = values, Errors = errors }, status);
}
