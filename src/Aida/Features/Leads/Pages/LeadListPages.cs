namespace Aida.Features.Leads.Pages;

/// <summary>The lead list's filters as the GET form sends them, kept as text so the form shows them back.</summary>
/// <param name="CreatedFrom">With <paramref name="CreatedTo"/>: leads created in [from, to), the dashboard's "new in the period" list.</param>
public sealed record LeadFilters(
    string? Q, string? Status, string? QualificationStatus, string? AssignedTo, string? SourceType, string? MinScore, string? Sort,
    string? CreatedFrom = null, string? CreatedTo = null)
{
    public static LeadFilters From(HttpRequest request)
    {
        string? Get(string name) => request.Query[name].ToString() is { Length: > 0 } v ? v : null;
        return new LeadFilters(Get("q"), Get("status"), Get("qualificationStatus"), Get("assignedTo"), Get("sourceType"), Get("minScore"), Get("sort"),
            Get("createdFrom"), Get("createdTo"));
    }

    public bool IsFiltered => Q is not null || Status is not null || QualificationStatus is not null || AssignedTo is not null || SourceType is not null || MinScore is not null
        || CreatedFrom is not null || CreatedTo is not null;

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
        Add("createdFrom", CreatedFrom);
        Add("createdTo", CreatedTo);
        Add("sort", Sort);
        Add("cursor", cursor);
        return parts.Count == 0 ? "/leads" : "/leads?" + string.Join('&', parts);
    }
}

/// <summary>The lead list (/leads) and the "New lead" form (/leads/new); both go through the API's use cases.</summary>
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

        var result = errors.Any
            ? (Result<Page<LeadResponse>>?)null
            : await ListLeads.RunAsync(
                new ListLeads.Query(filters.Status, filters.QualificationStatus, filters.AssignedTo, filters.SourceType, minScore, filters.Q,
                    filters.CreatedFrom, filters.CreatedTo, filters.Sort, null, http.Request.Query["cursor"]), db, cancellationToken);
        var users = await UserDirectory.LoadAsync(db, cancellationToken);
        return Html.Page<LeadListPage>(new
        {
            Context = UiContext.For(http),
            Filters = filters,
            Leads = result?.Value,
            Errors = result?.Failure?.FieldErrors ?? errors.ToDictionary(),
            Users = users,
        }, result is { Succeeded: true } ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
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

        var result = await CreateLead.RunAsync(request, db, cancellationToken);
        if (result.Failure is { } failure)
        {
            return Render(http, values, values.With(failure.FieldErrors), failure.StatusCode);
        }

        var (captured, visible) = result.Value!;
        if (!visible)
        {
            // Out of the user's reach (routed elsewhere, or another team's lead or contact): the same words in every case.
            return Html.Done(http, "/leads", CaptureReceipt.OutOfReach.Message);
        }

        return captured.Outcome switch
        {
            CaptureOutcome.Created => Html.Done(http, $"/leads/{captured.Lead!.Id}", "The lead was captured."),
            CaptureOutcome.AttachedToLead => Html.Done(http, $"/leads/{captured.Lead!.Id}", "This person is already an open lead: the capture was added to it."),
            _ => Html.Done(http, $"/customers/{captured.CustomerId}?tab=timeline", "This person is already a contact: the capture was logged on their customer."),
        };
    }

    private static IResult Render(HttpContext http, FormValues values, IReadOnlyDictionary<string, string[]>? errors, int status = StatusCodes.Status200OK) =>
        Html.Page<NewLeadPage>(new { Context = UiContext.For(http), Values = values, Errors = errors }, status);
}
