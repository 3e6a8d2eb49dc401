using System.Text.RegularExpressions;
using Aida.Features.Leads.Forms;
using Microsoft.Extensions.Options;

namespace Aida.Features.Leads.Pages;

/// <summary>
/// The web-form designer for admins (/settings/forms): the list of forms, and one page to define a form
/// — which fields, which of them required, their labels, the sites allowed to post it, where visitors
/// go afterwards — that shows the snippet to embed. Saves go through the API's use cases.
/// </summary>
public static partial class FormDesignerPages
{
    public static async Task<IResult> List(HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var forms = await ListLeadForms.RunAsync(db, cancellationToken);
        return Html.Page<FormListPage>(new { Context = UiContext.For(http), Forms = forms.Items });
    }

    public static IResult New(HttpContext http) =>
        Render(http, new Designer(null, Defaults(), null, null));

    public static async Task<IResult> Create(HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var (fields, origins) = Read(posted);
        var request = new CreateLeadForm.Request(values.Text("name"), fields, origins, values.Text("successRedirectUrl"),
            values.Enum<LeadSourceType>("sourceType"), values.Text("sourceDetail"), values.Flag("isActive"));
        if (values.Errors.Any)
        {
            return Render(http, new Designer(null, values, values.OwnErrors, null), StatusCodes.Status400BadRequest);
        }

        var result = await CreateLeadForm.RunAsync(request, db, cancellationToken);
        return result.Failure switch
        {
            null => Html.Done(http, $"/settings/forms/{result.Value!.Id}", "The web form was created. Embed the snippet below in your web site."),
            var failure => Render(http, new Designer(null, values, values.With(ForPage(failure.FieldErrors, fields)), null), failure.StatusCode),
        };
    }

    public static async Task<IResult> Edit(Guid id, HttpContext http, AidaDb db, IOptions<WebFormOptions> options, CancellationToken cancellationToken)
    {
        var form = (await GetLeadForm.RunAsync(id, db, cancellationToken)).Value;
        return form is null
            ? Html.NotFound(http, "web form")
            : Render(http, new Designer(form, ValuesOf(form), null, await SnippetAsync(db, id, http, options, cancellationToken)));
    }

    public static async Task<IResult> Update(Guid id, HttpContext http, AidaDb db, IFormCollection posted, IOptions<WebFormOptions> options, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var (fields, origins) = Read(posted);
        var sourceType = values.Enum<LeadSourceType>("sourceType");
        var request = new UpdateLeadForm.Request(
            values["name"] ?? "", new Optional<IReadOnlyList<LeadFormFieldInput>>(fields), new Optional<IReadOnlyList<string>?>(origins),
            values.Text("successRedirectUrl"),
            sourceType is { } type ? type : default(Optional<LeadSourceType>), values.Text("sourceDetail"), values.Flag("isActive"));
        Failure? failed = null;
        if (!values.Errors.Any)
        {
            var result = await UpdateLeadForm.RunAsync(id, request, values.IfMatch ?? "", db, cancellationToken);
            if (result.Succeeded)
            {
                return Html.Done(http, $"/settings/forms/{id}", "The web form was saved.");
            }

            failed = result.Failure;
        }

        db.ChangeTracker.Clear();
        var stored = (await GetLeadForm.RunAsync(id, db, cancellationToken)).Value;
        if (stored is null)
        {
            return Html.NotFound(http, "web form");
        }

        var snippet = await SnippetAsync(db, id, http, options, cancellationToken);
        if (failed is Failure.Stale)
        {
            return Render(http, new Designer(stored, values.Restamped(stored.Version),
                new Dictionary<string, string[]> { [""] = ["Someone else changed this form while you were editing it. Save again to apply what you entered."] }, snippet),
                StatusCodes.Status412PreconditionFailed);
        }

        return Render(http, new Designer(stored, values, failed is null ? values.OwnErrors : values.With(ForPage(failed.FieldErrors, fields)), snippet),
            failed?.StatusCode ?? StatusCodes.Status400BadRequest);
    }

    /// <summary>What the designer shows: the stored form (null while new), the inputs, their errors and the embed snippet.</summary>
    public sealed record Designer(LeadFormResponse? Form, FormValues Values, IReadOnlyDictionary<string, string[]>? Errors, string? Snippet);

    private static IResult Render(HttpContext http, Designer designer, int status = StatusCodes.Status200OK) =>
        Html.Page<FormDesignerPage>(new { Context = UiContext.For(http), Designer = designer }, status);

    private static async Task<string?> SnippetAsync(AidaDb db, Guid id, HttpContext http, IOptions<WebFormOptions> options, CancellationToken cancellationToken)
    {
        var form = await db.Set<LeadForm>().AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, cancellationToken);
        return form is null ? null : LeadFormEmbed.Snippet(form, WebForms.PublicBaseUrl(options.Value, http.Request));
    }

    /// <summary>The ticked fields in catalogue order, and the origins one per line.</summary>
    private static (List<LeadFormFieldInput> Fields, List<string> Origins) Read(IFormCollection posted)
    {
        var fields = LeadFormRules.Catalog
            .Where(k => posted[$"include.{k.Name}"].ToString() is "true" or "on")
            .Select(k => new LeadFormFieldInput(k.Name, posted[$"label.{k.Name}"].ToString() is { Length: > 0 } label ? label : null, null,
                posted[$"required.{k.Name}"].ToString() is "true" or "on"))
            .ToList();
        var origins = posted["allowedOrigins"].ToString()
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        return (fields, origins);
    }

    /// <summary>The API names fields by position ("fields[2].label"); the page by the field ("label.company").</summary>
    private static Dictionary<string, string[]> ForPage(IReadOnlyDictionary<string, string[]> errors, List<LeadFormFieldInput> fields) =>
        errors.GroupBy(e =>
            {
                var match = PositionalField().Match(e.Key);
                if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < fields.Count)
                {
                    return match.Groups[2].Value == "label" ? $"label.{fields[index].Name}" : "fields";
                }

                return e.Key.StartsWith("allowedOrigins", StringComparison.Ordinal) ? "allowedOrigins" : e.Key;
            })
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).ToArray());

    [GeneratedRegex(@"^fields\[(\d+)\]\.(\w+)$")]
    private static partial Regex PositionalField();

    private static FormValues Defaults() => new(new Dictionary<string, string?>
    {
        ["include.firstName"] = "true",
        ["include.lastName"] = "true",
        ["include.email"] = "true",
        ["required.email"] = "true",
        ["include.message"] = "true",
        ["sourceType"] = "website",
        ["isActive"] = "true",
    });

    private static FormValues ValuesOf(LeadFormResponse form)
    {
        var values = new Dictionary<string, string?>
        {
            ["name"] = form.Name,
            ["allowedOrigins"] = string.Join('\n', form.AllowedOrigins),
            ["successRedirectUrl"] = form.SuccessRedirectUrl,
            ["sourceType"] = EnumText<LeadSourceType>.ToText(form.SourceType),
            ["sourceDetail"] = form.SourceDetail,
            ["isActive"] = form.IsActive ? "true" : null,
            ["version"] = form.Version.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var field in form.Fields)
        {
            values[$"include.{field.Name}"] = "true";
            values[$"required.{field.Name}"] = field.Required ? "true" : null;
            values[$"label.{field.Name}"] = field.Label == LeadFormRules.Kind(field.Name)?.Label ? null : field.Label;
        }

        return new FormValues(values);
    }
}
