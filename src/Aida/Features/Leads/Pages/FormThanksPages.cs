using Aida.Features.Leads.Forms;

namespace Aida.Features.Leads.Pages;

/// <summary><c>GET /f/{formKey}/thanks</c>: where a form without a success address sends its visitors.</summary>
public static class FormThanksPages
{
    public static IResult ThankYou() => Html.Page<FormThanksPage>(new { Message = SubmitLeadForm.Thanks.Message });
}
