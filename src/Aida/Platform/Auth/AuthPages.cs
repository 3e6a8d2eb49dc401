using Aida.Platform.Auth.Pages;
using Microsoft.AspNetCore.Authentication;

namespace Aida.Platform.Auth;

/// <summary>
/// Sign-in, sign-out, first-run setup and the self-service token page. Forms post back with an
/// antiforgery token. Failed sign-ins count per user: five in a row lock the account for fifteen minutes.
/// </summary>
public static class AuthPages
{
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);
    public const string SignInRateLimit = "sign-in";

    public static async Task<IResult> SignInForm(HttpContext http, AidaDb db, string? returnUrl, CancellationToken cancellationToken)
    {
        if (await NeedsSetupAsync(db, cancellationToken) && IsLocal(http))
        {
            return TypedResults.Redirect("/setup");
        }

        return Html.Page<SignInPage>(new { Antiforgery = FormToken.For(http), ReturnUrl = returnUrl });
    }

    public static async Task<IResult> SignIn(
        HttpContext http, AidaDb db, ILogger<SignInPage> logger,
        [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        var normalized = UserAdministration.NormalizeEmail(email ?? "");
        var user = await db.Set<User>().FirstOrDefaultAsync(u => u.Email == normalized && u.Id != User.SystemId, cancellationToken);
        string? error = null;
        if (user is null || !user.IsActive)
        {
            UserAdministration.VerifyNothing(password ?? "");
            error = "The email or password is not right.";
        }
        else if (user.LockedUntil > now)
        {
            error = "Too many failed attempts: this account is locked for a few minutes.";
        }
        else if (!UserAdministration.VerifyPassword(user, password ?? ""))
        {
            user.FailedSignIns++;
            if (user.FailedSignIns >= MaxFailedSignIns)
            {
                user.LockedUntil = now + Lockout;
                user.FailedSignIns = 0;
                logger.LogWarning("Sign-in locked for user {UserId} after {Attempts} failed attempts", user.Id, MaxFailedSignIns);
            }

            await db.SaveChangesAsync(cancellationToken);
            error = "The email or password is not right.";
        }

        if (error is not null)
        {
            logger.LogInformation("Sign-in refused for {Outcome}", user is null ? "an unknown email" : $"user {user.Id}");
            return Html.Page<SignInPage>(new { Antiforgery = FormToken.For(http), Email = email, ReturnUrl = returnUrl, Error = error }, StatusCodes.Status400BadRequest);
        }

        user!.FailedSignIns = 0;
        user.LockedUntil = null;
        user.LastSignInAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await CookieSessions.SignInAsync(http, user);
        return TypedResults.LocalRedirect(IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }

    public static async Task<IResult> SignOut(HttpContext http)
    {
        if (!await FormToken.IsValidAsync(http))
        {
            return Problems.Validation("__RequestVerificationToken", "The form is stale or forged; reload the page and try again.");
        }

        await http.SignOutAsync(CookieSessions.Scheme);
        return TypedResults.Redirect("/signin");
    }

    public static async Task<IResult> SetupForm(HttpContext http, AidaDb db, CancellationToken cancellationToken) =>
        await NeedsSetupAsync(db, cancellationToken) && IsLocal(http)
            ? Html.Page<SetupPage>(new { Antiforgery = FormToken.For(http) })
            : Problems.NotFound("setup page");

    public static async Task<IResult> Setup(
        HttpContext http, AidaDb db, OperationContext operation,
        [FromForm] string? displayName, [FromForm] string? email, [FromForm] string? password, CancellationToken cancellationToken)
    {
        if (!IsLocal(http))
        {
            return Problems.NotFound("setup page");
        }

        operation.BecomeSystem();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (!await NeedsSetupAsync(db, cancellationToken))
        {
            return Problems.NotFound("setup page");
        }

        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(password))
        {
            errors.Add("password", "Is required.");
        }

        var user = await UserAdministration.AddUserAsync(db,
            new UserAdministration.NewUser(email, displayName, Role.Admin, null, null, password ?? ""), errors, cancellationToken);
        if (user is null)
        {
            return Html.Page<SetupPage>(new { Antiforgery = FormToken.For(http), DisplayName = displayName, Email = email, Errors = errors.ToDictionary() },
                StatusCodes.Status400BadRequest);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await CookieSessions.SignInAsync(http, user);
        return TypedResults.Redirect("/");
    }

    public static async Task<IResult> Tokens(HttpContext http, AidaDb db, CancellationToken cancellationToken) =>
        await TokensPageAsync(http, db, null, null, null, cancellationToken);

    public static async Task<IResult> CreateToken(
        HttpContext http, AidaDb db, [FromForm] string? name, [FromForm] string? scope, [FromForm] string? expiresInDays, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var tokenName = errors.RequiredText("name", name, ApiToken.NameMaxLength);
        var tokenScope = EnumText<TokenScope>.TryParse(scope, out var parsed) ? parsed : TokenScope.Write;
        int? days = null;
        if (!string.IsNullOrWhiteSpace(expiresInDays))
        {
            if (int.TryParse(expiresInDays, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) && d is >= 1 and <= 3650)
            {
                days = d;
            }
            else
            {
                errors.Add("expiresInDays", "Must be a whole number of days from 1 to 3650, or empty.");
            }
        }

        if (errors.Any)
        {
            return await TokensPageAsync(http, db, null, errors.ToDictionary(), StatusCodes.Status400BadRequest, cancellationToken);
        }

        var user = await db.Set<User>().FirstAsync(u => u.Id == db.Operation.ActorId, cancellationToken);
        var (_, secret) = UserAdministration.AddToken(db, user, tokenName!, tokenScope, days is { } n ? db.Clock.UtcNow().AddDays(n) : null);
        await db.SaveChangesAsync(cancellationToken);
        return await TokensPageAsync(http, db, secret, null, null, cancellationToken);
    }

    public static async Task<IResult> RevokeToken(HttpContext http, AidaDb db, Guid id, CancellationToken cancellationToken)
    {
        if (!await FormToken.IsValidAsync(http))
        {
            return Problems.Validation("__RequestVerificationToken", "The form is stale or forged; reload the page and try again.");
        }

        return (await RevokeMyToken.RunAsync(id, db, cancellationToken)).Failure is { } failure
            ? failure.ToProblem()
            : TypedResults.Redirect("/account/tokens");
    }

    private static async Task<IResult> TokensPageAsync(
        HttpContext http, AidaDb db, string? secret, IReadOnlyDictionary<string, string[]>? errors, int? status, CancellationToken cancellationToken)
    {
        var tokens = await db.Set<ApiToken>().AsNoTracking().Where(t => t.UserId == db.Operation.ActorId).OrderByDescending(t => t.CreatedAt).ToListAsync(cancellationToken);
        return Html.Page<TokensPage>(new
        {
            Context = UiContext.For(http),
            Tokens = tokens,
            NewSecret = secret,
            Errors = errors,
        }, status);
    }

    /// <summary>Set-up is possible while no person can sign in: only the built-in system user exists.</summary>
    private static Task<bool> NeedsSetupAsync(AidaDb db, CancellationToken cancellationToken) =>
        db.Set<User>().AllAsync(u => u.Id == User.SystemId || u.PasswordHash == null, cancellationToken);

    public static bool IsLocal(HttpContext http) => http.Connection.RemoteIpAddress is { } address && System.Net.IPAddress.IsLoopback(address);

    private static bool IsLocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
