using Microsoft.AspNetCore.DataProtection;

namespace Aida.Platform.Ui;

public enum FlashKind
{
    Success,
    Error,
}

/// <summary>
/// A one-time message for the next page (post, redirect, get): "3 customers assigned to Ada". Kept in a
/// short-lived, protected cookie so it survives the redirect without server state, and removed when shown.
/// </summary>
public sealed record Flash(FlashKind Kind, string Message)
{
    private const string CookieName = "aida.flash";

    public static void Set(HttpContext http, FlashKind kind, string message)
    {
        var protector = Protector(http);
        http.Response.Cookies.Append(CookieName, protector.Protect($"{(int)kind}|{message}"), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            MaxAge = TimeSpan.FromMinutes(5),
            Path = "/",
        });
    }

    /// <summary>The waiting message, if any; it is shown once.</summary>
    public static Flash? Take(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });
        try
        {
            var text = Protector(http).Unprotect(value);
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return bar > 0 && Enum.TryParse<FlashKind>(text[..bar], out var kind) && Enum.IsDefined(kind)
                ? new Flash(kind, text[(bar + 1)..])
                : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // A cookie from an older key or a tampered one: there is simply no message to show.
            return null;
        }
    }

    private static IDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("Aida.Ui.Flash");
}
