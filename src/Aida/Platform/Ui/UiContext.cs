namespace Aida.Platform.Ui;

/// <summary>
/// What the layout needs on every page — who is signed in, what they may do, the form token, the
/// waiting flash message — and the user's time zone, in which every time on a page is shown.
/// One per request, made on first use.
/// </summary>
public sealed class UiContext
{
    private const string ItemKey = "Aida.UiContext";
    private const string UserKey = "Aida.SignedInUser";

    private UiContext(User? user, Access access, FormToken antiforgery, Flash? flash, TimeZoneInfo zone, string path)
    {
        User = user;
        Access = access;
        Antiforgery = antiforgery;
        Flash = flash;
        Zone = zone;
        Path = path;
    }

    /// <summary>The signed-in user; null on public pages (sign-in, setup, errors before sign-in).</summary>
    public User? User { get; }

    public Access Access { get; }

    public FormToken Antiforgery { get; }

    public Flash? Flash { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>The request's path, so the navigation can mark where the user is.</summary>
    public string Path { get; }

    public bool Can(string permission) => User is not null && Access.Can(permission);

    public static UiContext For(HttpContext http)
    {
        if (http.Items[ItemKey] is UiContext existing)
        {
            return existing;
        }

        var user = http.Items[UserKey] as User;
        var operation = http.RequestServices.GetRequiredService<OperationContext>();
        var context = new UiContext(
            user,
            user is null ? Access.Nothing : operation.Access,
            FormToken.For(http),
            Flash.Take(http),
            ZoneOf(user?.TimeZone),
            http.Request.Path.Value ?? "/");
        http.Items[ItemKey] = context;
        return context;
    }

    /// <summary>Called by the cookie session check, which has just read the user anyway.</summary>
    public static void RememberUser(HttpContext http, User user) => http.Items[UserKey] = user;

    /// <summary>A stored UTC time as the user reads it, in their zone.</summary>
    public string Time(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone).ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);

    public string Date(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone).ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A stored UTC time as a datetime-local input's value, in the user's zone.</summary>
    public string InputTime(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    /// <summary>The user's calendar day of a stored UTC time (timelines group by it).</summary>
    public DateOnly Day(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone));

    /// <summary>Unread notifications for the layout's badge; set by the page shell when a feature provides them.</summary>
    public int UnreadNotifications { get; set; }

    /// <summary>The machine-readable form for a &lt;time datetime&gt; attribute.</summary>
    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static TimeZoneInfo ZoneOf(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
