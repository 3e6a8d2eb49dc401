using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;

namespace Aida.Features.Leads.Forms;

/// <summary>
/// The HTML a web site pastes in to show a form: a plain POST form that works without scripts, one
/// labelled input per field, the honeypot kept out of sight (and out of the tab order and the
/// accessibility tree), and hidden attribution fields that the optional script fills in.
/// </summary>
public static class LeadFormEmbed
{
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpRequest request, IOptions<WebFormOptions> options, CancellationToken cancellationToken)
    {
        var form = await db.Set<LeadForm>().AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (form is null)
        {
            return Problems.NotFound("web form");
        }

        return TypedResults.Text(Snippet(form, WebForms.PublicBaseUrl(options.Value, request)), "text/html; charset=utf-8");
    }

    public static string Snippet(LeadForm form, string baseUrl)
    {
        var e = HtmlEncoder.Default;
        var prefix = "aida-" + form.Key;
        var html = new StringBuilder();
        html.Append("<form class=\"aida-form\" method=\"post\" action=\"").Append(e.Encode(baseUrl + LeadFormRules.SubmitPath(form)))
            .Append("\" accept-charset=\"utf-8\" data-aida-form>\n");
        foreach (var field in form.FieldList)
        {
            var inputId = $"{prefix}-{field.Name}";
            var kind = LeadFormRules.Kind(field.Name);
            html.Append("  <p class=\"aida-field\">\n");
            html.Append("    <label for=\"").Append(inputId).Append("\">").Append(e.Encode(field.Label)).Append("</label>\n");
            var required = field.Required ? " required" : "";
            var maxLength = kind is null ? "" : $" maxlength=\"{kind.MaxLength}\"";
            switch (field.Type)
            {
                case "textarea":
                    html.Append("    <textarea id=\"").Append(inputId).Append("\" name=\"").Append(field.Name).Append('"').Append(required).Append(maxLength).Append(" rows=\"4\"></textarea>\n");
                    break;
                case "select":
                    html.Append("    <select id=\"").Append(inputId).Append("\" name=\"").Append(field.Name).Append('"').Append(required).Append(">\n");
                    html.Append("      <option value=\"\">Choose…</option>\n");
                    foreach (var (value, text) in Options(field.Name))
                    {
                        html.Append("      <option value=\"").Append(value).Append("\">").Append(e.Encode(text)).Append("</option>\n");
                    }

                    html.Append("    </select>\n");
                    break;
                default:
                    var extra = field.Type == "number" ? " min=\"0\" step=\"0.01\" inputmode=\"decimal\"" : "";
                    html.Append("    <input id=\"").Append(inputId).Append("\" name=\"").Append(field.Name).Append("\" type=\"").Append(field.Type).Append('"')
                        .Append(required).Append(maxLength).Append(extra).Append(Autocomplete(field.Name)).Append(">\n");
                    break;
            }

            html.Append("  </p>\n");
        }

        html.Append("  <div class=\"aida-hp\" aria-hidden=\"true\" style=\"position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden\">\n");
        html.Append("    <label for=\"").Append(prefix).Append("-hp\">Leave this field empty</label>\n");
        html.Append("    <input id=\"").Append(prefix).Append("-hp\" name=\"").Append(LeadFormRules.HoneypotField).Append("\" type=\"text\" tabindex=\"-1\" autocomplete=\"off\">\n");
        html.Append("  </div>\n");
        foreach (var hidden in LeadFormRules.HiddenFields)
        {
            html.Append("  <input type=\"hidden\" name=\"").Append(hidden).Append("\" value=\"\">\n");
        }

        html.Append("  <button type=\"submit\">Send</button>\n");
        html.Append("</form>\n");
        html.Append("<!-- Optional: fills the hidden fields from the page's address (utm_… parameters) and referrer. -->\n");
        html.Append("<script src=\"").Append(e.Encode(baseUrl + "/js/lead-form.js")).Append("\" defer></script>\n");
        return html.ToString();
    }

    public static IEnumerable<(string Value, string Text)> Options(string field) => field switch
    {
        "timeline" => Choices.Of<PurchaseTimeline>().Where(o => o.Value != EnumText<PurchaseTimeline>.ToText(PurchaseTimeline.Unknown)),
        "urgency" => Choices.Of<Urgency>(),
        _ => [],
    };

    private static string Autocomplete(string field) => field switch
    {
        "firstName" => " autocomplete=\"given-name\"",
        "lastName" => " autocomplete=\"family-name\"",
        "email" => " autocomplete=\"email\"",
        "phone" => " autocomplete=\"tel\"",
        "company" => " autocomplete=\"organization\"",
        "jobTitle" => " autocomplete=\"organization-title\"",
        "country" => " autocomplete=\"country\"",
        _ => "",
    };
}
