using Microsoft.AspNetCore.Antiforgery;

namespace Aida.Platform.Ui;

/// <summary>The antiforgery token a page puts in each of its forms; every form post is checked against it.</summary>
public sealed record FormToken(string FieldName, string Value)
{
    public static FormToken For(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return new FormToken(tokens.FormFieldName, tokens.RequestToken!);
    }

    /// <summary>For form posts that bind no fields (sign-out, revoke), which the framework would not check by itself.</summary>
    public static async Task<bool> IsValidAsync(HttpContext http) =>
        await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http);
}
