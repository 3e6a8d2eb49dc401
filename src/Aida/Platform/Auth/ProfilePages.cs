using Aida.Platform.Auth.Pages;

namespace Aida.Platform.Auth;

/// <summary>
/// The signed-in user's own profile: their name and time zone (every time on a page is shown in it),
/// and their password. A new password ends every other session (a new security stamp) but keeps this one.
/// </summary>
public static class ProfilePages
{
    public static async Task<IResult> Show(HttpContext http, AidaDb db, CancellationToken cancellationToken) =>
        await PageAsync(http, db, null, null, StatusCodes.Status200OK, cancellationToken);

    public static async Task<IResult> Update(HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var user = await db.Set<User>().FirstAsync(u => u.Id == db.Operation.ActorId, cancellationToken);
        var errors = values.Errors;
        var name = errors.RequiredText("displayName", values["displayName"], User.NameMaxLength);
        var zone = UserAdministration.CheckTimeZone(errors, "timeZone", values["timeZone"]);
        if (errors.Any)
        {
            return await PageAsync(http, db, values, errors.ToDictionary(), StatusCodes.Status400BadRequest, cancellationToken);
        }

        user.DisplayName = name!;
        user.TimeZone = zone ?? "UTC";
        await db.SaveChangesAsync(cancellationToken);
        return Html.Done(http, "/account/profile", "Your profile was saved.");
    }

    public static async Task<IResult> ChangePassword(HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var user = await db.Set<User>().FirstAsync(u => u.Id == db.Operation.ActorId, cancellationToken);
        var errors = values.Errors;
        var current = values["currentPassword"] ?? "";
        var next = values["newPassword"] ?? "";
        if (!UserAdministration.VerifyPassword(user, current))
        {
            errors.Add("currentPassword", "Is not your current password.");
        }

        UserAdministration.CheckPassword(errors, "newPassword", next);
        if (next != values["confirmPassword"])
        {
            errors.Add("confirmPassword", "Does not match the new password.");
        }

        if (errors.Any)
        {
            return await PageAsync(http, db, null, errors.ToDictionary(), StatusCodes.Status400BadRequest, cancellationToken);
        }

        UserAdministration.SetPassword(user, next);
        await db.SaveChangesAsync(cancellationToken);
        await CookieSessions.SignInAsync(http, user);
        return Html.Done(http, "/account/profile", "Your password was changed. Other sessions were signed out.");
    }

    private static async Task<IResult> PageAsync(
        HttpContext http, AidaDb db, FormValues? values, IReadOnlyDictionary<string, string[]>? errors, int status, CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().AsNoTracking().FirstAsync(u => u.Id == db.Operation.ActorId, cancellationToken);
        var team = user.TeamId is { } teamId
            ? await db.Set<Team>().AsNoTracking().Where(t => t.Id == teamId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken)
            : null;
        var sections = new List<Microsoft.AspNetCore.Components.RenderFragment>();
        foreach (var section in http.RequestServices.GetServices<IProfileSection>().OrderBy(s => s.Order))
        {
            sections.Add(await section.RenderAsync(http, db, cancellationToken));
        }

        return Html.Page<ProfilePage>(new
        {
            Sections = sections,
            Context = UiContext.For(http),
            User = user,
            TeamName = team,
            DisplayName = values?["displayName"] ?? user.DisplayName,
            TimeZone = values?["timeZone"] ?? user.TimeZone,
            Errors = errors,
        }, status);
    }
}
