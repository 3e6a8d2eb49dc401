using Aida.Features.Leads.Pages;

namespace Aida.Features.Leads.Forms;

/// <summary>
/// <c>POST /f/{formKey}</c>: a visitor's submission, with no sign-in (ARCHITECTURE.md: public by design).
/// In order: unknown or inactive form 404; an Origin (or, without one, Referer) outside the form's allowed
/// origins 403; over the size limit 413 and over the per-address rate 429 (both before this runs); a
/// filled honeypot is answered exactly like a success and nothing is stored; a bad field is 400 naming
/// it (problem+json, or for a browser a page listing the problems) and nothing is stored. A good one
/// goes through <see cref="LeadCapture"/> — a new lead, or attached to the lead or contact it matches —
/// and every one of those is answered the same way, so the form cannot be used to learn who is known:
/// 303 to the form's success page (or Aida's thank-you page), or 200 JSON for scripts.
/// </summary>
public static class SubmitLeadForm
{
    public sealed record Received(string Status, string Message);

    /// <summary>The one answer to every accepted submission, stored or not, new person or known.</summary>
    public static readonly Received Thanks = new("received", "Thank you. We will be in touch.");

    public static async Task<IResult> Handle(string formKey, HttpContext http, AidaDb db, OperationContext operation, CancellationToken cancellationToken)
    {
        // Nobody is signed in here (a visitor's Aida cookie, if any, is not theirs to lend); the form acts as the system.
        operation.BecomeSystem();
        var form = await FindAsync(db, formKey, cancellationToken);
        if (form is null)
        {
            return Problems.NotFound("web form");
        }

        var origin = RequestOrigin(http.Request);
        if (!IsAllowed(form, origin))
        {
            return Problems.Forbidden("origin", "This form does not accept submissions from this web site.");
        }

        AllowCors(http.Response, form, origin);
        var wantsJson = WantsJson(http.Request);
        var read = await ReadAsync(http.Request, cancellationToken);
        if (read.Problem is { } unreadable)
        {
            return unreadable;
        }

        var result = await RunAsync(form, read.Values!, Referer(http.Request), db, cancellationToken);
        if (result.Failure is Failure.Invalid invalid)
        {
            return wantsJson
                ? invalid.ToValidationProblem()
                : Html.Page<FormProblemsPage>(new { FormName = form.Name, Errors = invalid.Errors }, StatusCodes.Status400BadRequest);
        }

        return Success(http, form, wantsJson, result.Value!);
    }

    /// <summary>
    /// A submission's values (read from the request, the form found and its origin allowed): stored as a
    /// capture and counted, or — from a bot that filled the honeypot — thanked alike and dropped. The only
    /// refusal is invalid fields, named as the form posts them.
    /// </summary>
    public static async Task<Result<Received>> RunAsync(
        LeadForm form, IReadOnlyDictionary<string, string?> values, string? referer, AidaDb db, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(Value(values, LeadFormRules.HoneypotField)))
        {
            // A bot: it gets the answer a person would, and nothing is stored or counted.
            return Result.Ok(Thanks);
        }

        var errors = new ValidationErrors();
        var lead = ToLead(form, values, referer, errors);
        if (errors.Any)
        {
            return new Failure.Invalid(FormNames(errors.ToDictionary(), form));
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await LeadCapture.CaptureAsync(db, lead!, form.Name, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        // Counted without touching the form's version (an admin editing it meanwhile is not refused) or its audit trail.
        await db.Set<LeadForm>().Where(f => f.Id == form.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.SubmissionCount, f => f.SubmissionCount + 1), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(Thanks);
    }

    /// <summary><c>OPTIONS /f/{formKey}</c>: the CORS preflight of a script posting JSON, answered for the form's allowed origins only.</summary>
    public static async Task<IResult> Preflight(string formKey, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var form = await FindAsync(db, formKey, cancellationToken);
        if (form is null)
        {
            return Problems.NotFound("web form");
        }

        var origin = http.Request.Headers.Origin.ToString();
        var method = http.Request.Headers.AccessControlRequestMethod.ToString();
        if (!AllowCors(http.Response, form, LeadFormRules.Normalize(origin)) || !HttpMethods.IsPost(method))
        {
            return Problems.Forbidden("origin", "This form does not accept scripted submissions from this web site.");
        }

        var headers = http.Response.Headers;
        headers.AccessControlAllowMethods = "POST";
        headers.AccessControlAllowHeaders = "Content-Type, Accept";
        headers.AccessControlMaxAge = "600";
        return TypedResults.NoContent();
    }

    private static Task<LeadForm?> FindAsync(AidaDb db, string formKey, CancellationToken cancellationToken) =>
        formKey.Length is < 16 or > LeadForm.KeyMaxLength
            ? Task.FromResult<LeadForm?>(null)
            : db.Set<LeadForm>().AsNoTracking().FirstOrDefaultAsync(f => f.Key == formKey && f.IsActive, cancellationToken);

    /// <summary>The page's origin: the Origin header, or — from browsers that send none on a same-site post — the Referer's.</summary>
    private static string? RequestOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (!string.IsNullOrEmpty(origin))
        {
            return LeadFormRules.Normalize(origin);
        }

        return Uri.TryCreate(request.Headers.Referer.ToString(), UriKind.Absolute, out var referer) && referer.Scheme is "http" or "https"
            ? referer.GetLeftPart(UriPartial.Authority).ToLowerInvariant()
            : null;
    }

    /// <summary>A form with no allowed origins takes submissions from anywhere; otherwise the origin must be listed (and known).</summary>
    private static bool IsAllowed(LeadForm form, string? origin)
    {
        var allowed = form.OriginList;
        return allowed.Count == 0 || (origin is not null && allowed.Contains(origin));
    }

    /// <summary>CORS for a listed origin only: a form open to every origin still takes plain form posts, but no script reads its answers.</summary>
    private static bool AllowCors(HttpResponse response, LeadForm form, string? origin)
    {
        response.Headers.Vary = "Origin";
        if (origin is null || !form.OriginList.Contains(origin))
        {
            return false;
        }

        response.Headers.AccessControlAllowOrigin = origin;
        return true;
    }

    private static bool WantsJson(HttpRequest request) =>
        request.HasJsonContentType()
        || (!request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
            && request.Headers.Accept.ToString().Contains("json", StringComparison.OrdinalIgnoreCase));

    private static IResult Success(HttpContext http, LeadForm form, bool wantsJson, Received received) =>
        wantsJson
            ? TypedResults.Ok(received)
            : new SeeOther(form.SuccessRedirectUrl ?? $"{LeadFormRules.SubmitPath(form)}/thanks");

    private sealed record ReadResult(Dictionary<string, string?>? Values, IResult? Problem);

    /// <summary>The submission's fields as text, from a form post (urlencoded or multipart) or a JSON object.</summary>
    private static async Task<ReadResult> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            try
            {
                var form = await request.ReadFormAsync(cancellationToken);
                foreach (var (key, value) in form)
                {
                    values[key] = value.ToString();
                }
            }
            catch (InvalidDataException)
            {
                return new ReadResult(null, Problems.Validation("", "The form data could not be read."));
            }

            return new ReadResult(values, null);
        }

        if (request.HasJsonContentType())
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return new ReadResult(null, Problems.Validation("", "Send a JSON object of field names and values."));
                }

                var errors = new ValidationErrors();
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    switch (property.Value.ValueKind)
                    {
                        case JsonValueKind.String:
                            values[property.Name] = property.Value.GetString();
                            break;
                        case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                            values[property.Name] = property.Value.GetRawText();
                            break;
                        case JsonValueKind.Null:
                            values[property.Name] = null;
                            break;
                        default:
                            errors.Add(property.Name, "Must be text, a number or null.");
                            break;
                    }
                }

                return errors.Any ? new ReadResult(null, errors.ToProblem()) : new ReadResult(values, null);
            }
            catch (JsonException)
            {
                return new ReadResult(null, Problems.Validation("", "The body is not valid JSON."));
            }
        }

        return new ReadResult(null, TypedResults.Problem(
            detail: "Send the form as application/x-www-form-urlencoded, multipart/form-data or application/json.",
            statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type.", type: ProblemTypes.UnsupportedMediaType));
    }

    private static string? Value(IReadOnlyDictionary<string, string?> values, string name) =>
        values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>The lead the submission describes: only the form's own fields and the attribution fields are read; others are ignored.</summary>
    private static Lead? ToLead(LeadForm form, IReadOnlyDictionary<string, string?> values, string? referer, ValidationErrors errors)
    {
        string? Field(string name) => form.FieldList.Any(f => f.Name == name) ? Value(values, name) : null;

        foreach (var field in form.FieldList.Where(f => f.Required && Value(values, f.Name) is null))
        {
            errors.Add(field.Name, "Is required.");
        }

        decimal? budget = null;
        if (Field("budgetAmount") is { } amountText)
        {
            if (decimal.TryParse(amountText, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
            {
                budget = amount;
            }
            else
            {
                errors.Add("budgetAmount", "Must be a number, e.g. 1500 or 1500.50.");
            }
        }

        var timeline = Choice<PurchaseTimeline>(Field("timeline"), "timeline", errors);
        var urgency = Choice<Urgency>(Field("urgency"), "urgency", errors);
        var needs = string.Join("\n\n", new[] { Field("needs"), Field("message") }.Where(t => t is not null));
        var landingPage = Value(values, "landing_page") ?? referer;
        var utm = QueryOf(landingPage);
        var input = new LeadInput(
            Field("firstName"), Field("lastName"), Field("email"), Field("phone"), Field("company"), Field("jobTitle"),
            Field("country"), form.SourceDetail ?? form.Name,
            Value(values, "utm_source") ?? utm("utm_source"), Value(values, "utm_medium") ?? utm("utm_medium"),
            Value(values, "utm_campaign") ?? utm("utm_campaign"), Value(values, "utm_term") ?? utm("utm_term"),
            Value(values, "utm_content") ?? utm("utm_content"),
            landingPage, Value(values, "referrer"), needs.Length == 0 ? null : needs,
            budget, Field("budgetCurrency"), null, null, timeline, urgency);
        var lead = new Lead { SourceType = form.SourceType, FormId = form.Id };
        if (errors.Any)
        {
            // Checked too, so one answer lists every problem.
            LeadFields.Apply(errors, input, new Lead());
            return null;
        }

        LeadFields.Apply(errors, input, lead);
        LeadFields.RequireContactPoint(errors, lead);
        return errors.Any ? null : lead;
    }

    private static TEnum? Choice<TEnum>(string? text, string field, ValidationErrors errors) where TEnum : struct, Enum
    {
        if (text is null)
        {
            return null;
        }

        if (EnumText<TEnum>.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add(field, $"Must be one of {string.Join(", ", EnumText<TEnum>.AllNames)}.");
        return null;
    }

    /// <summary>The page the form was on, when the browser said (cross-site it often sends only the origin).</summary>
    private static string? Referer(HttpRequest request)
    {
        var referer = request.Headers.Referer.ToString();
        return referer.Length is > 0 and <= Lead.UrlMaxLength && Uri.TryCreate(referer, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? referer
            : null;
    }

    private static Func<string, string?> QueryOf(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Query.Length <= 1)
        {
            return _ => null;
        }

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query);
        return name => query.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value.ToString()) ? value.ToString().Trim() : null;
    }

    /// <summary>Errors under the names the form posts ("utm_source", "landing_page", "message"), not the API's.</summary>
    private static Dictionary<string, string[]> FormNames(IDictionary<string, string[]> errors, LeadForm form)
    {
        var hasNeeds = form.FieldList.Any(f => f.Name == "needs");
        return errors.ToDictionary(
            e => e.Key switch
            {
                "landingPage" => "landing_page",
                "needs" when !hasNeeds => "message",
                var key when key.StartsWith("utm.", StringComparison.Ordinal) => "utm_" + key[4..],
                var key => key,
            },
            e => e.Value);
    }

    /// <summary>303 See Other: after a POST the browser GETs the success page (a 302 would be ambiguous).</summary>
    private sealed class SeeOther(string url) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = url;
            return Task.CompletedTask;
        }
    }
}
