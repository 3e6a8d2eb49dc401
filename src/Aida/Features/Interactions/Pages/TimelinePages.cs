using Aida.Features.Customers.Contacts;

namespace Aida.Features.Interactions.Pages;

/// <summary>What the ActivityTimeline shows: one page of the customer's timeline, the filters that made it, and what its forms need.</summary>
public sealed class TimelineView
{
    public required Guid CustomerId { get; init; }

    public required TimelinePage Page { get; init; }

    /// <summary>The filters as the form sends them, for re-rendering the form and building the next page's address.</summary>
    public required FormValues Filters { get; init; }

    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>For the tab's forms (the actor filter, the quick call); the scroll fragment needs neither.</summary>
    public UserDirectory? Users { get; init; }

    public IReadOnlyList<ContactResponse> Contacts { get; init; } = [];

    /// <summary>The day the previous page ended on, so a day split across pages is not headed twice.</summary>
    public DateOnly? ContinuesDay { get; init; }

    public string Query(string? cursor) =>
        string.Join('&', new[] { "types", "from", "to", "actor" }
            .Where(k => Filters.Text(k) is not null)
            .Select(k => $"{k}={Uri.EscapeDataString(Filters[k]!)}")
            .Append(cursor is null ? "" : $"cursor={Uri.EscapeDataString(cursor)}")
            .Where(p => p.Length > 0));
}

/// <summary>
/// ActivityTimeline (spec 002 screens): the customer's interactions, completed activities, notes and
/// changes, grouped by day in the user's time zone, filtered by kind, dates and who did it, and
/// continued by infinite scroll (htmx loads the next page when its marker scrolls into view; without
/// scripts it is a link).
/// </summary>
public static class TimelinePages
{
    /// <summary>The choices of the kind filter: everything, one kind, or one interaction type.</summary>
    public static readonly (string Value, string Text)[] TypeChoices =
    [
        ("", "Everything"),
        ("interaction", "All interactions"),
        ("call", "Calls"),
        ("email", "Emails"),
        ("meeting", "Meetings"),
        ("activity", "Completed activities"),
        ("note", "Notes"),
        ("change", "Changes"),
        ("milestone", "Milestones"),
    ];

    /// <summary>The tab: a page of entries, and what its forms offer (the detail page has already read <paramref name="users"/>).</summary>
    public static async Task<TimelineView> LoadAsync(HttpContext http, AidaDb db, Guid customerId, UserDirectory users, CancellationToken cancellationToken)
    {
        var view = await PageAsync(http, db, customerId, cancellationToken);
        var contacts = await db.Set<Contact>().AsNoTracking().Where(c => c.CustomerId == customerId)
            .OrderByDescending(c => c.IsPrimary).ThenBy(c => c.LastName).Take(200).Select(c => c.ToResponse()).ToListAsync(cancellationToken);
        return new TimelineView
        {
            CustomerId = view.CustomerId,
            Page = view.Page,
            Filters = view.Filters,
            Errors = view.Errors,
            ContinuesDay = view.ContinuesDay,
            Users = users,
            Contacts = contacts,
        };
    }

    /// <summary>One page of entries for the filters and cursor in the query string.</summary>
    private static async Task<TimelineView> PageAsync(HttpContext http, AidaDb db, Guid customerId, CancellationToken cancellationToken)
    {
        var ui = UiContext.For(http);
        var values = new FormValues(http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString()));
        var from = values.Date("from");
        var to = values.Date("to");
        var actor = values.Id("actor");
        var errors = values.Errors;
        var filter = Timeline.ParseFilter(errors, values.Text("types"), StartOfDay(from, ui.Zone), StartOfDay(to?.AddDays(1), ui.Zone), actor, db.Clock.UtcNow());
        var after = Timeline.ParseCursor(errors, values.Text("cursor"));
        DateOnly? continues = DateOnly.TryParseExact(values.Text("day"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

        var page = errors.Any || filter is null
            ? new TimelinePage([], [], null, db.Clock.UtcNow() - Timeline.DefaultPeriod, db.Clock.UtcNow())
            : await Timeline.ReadAsync(db, http.RequestServices.GetServices<ITimelineSource>(), customerId, filter, after, Paging.DefaultLimit, cancellationToken,
                http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Email.EmailOptions>>().Value.DeliveryOn);
        return new TimelineView
        {
            CustomerId = customerId,
            Page = page,
            Filters = values,
            Errors = errors.Any ? errors.ToDictionary() : null,
            ContinuesDay = continues,
        };
    }

    /// <summary>The next page of entries, for infinite scroll.</summary>
    public static async Task<IResult> Entries(Guid customerId, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        if (!await db.Set<Customers.Customer>().AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return Html.NotFound(http, "customer");
        }

        var view = await PageAsync(http, db, customerId, cancellationToken);
        return Html.Page<TimelineEntries>(new { Context = UiContext.For(http), View = view });
    }

    private static DateTimeOffset? StartOfDay(DateOnly? date, TimeZoneInfo zone)
    {
        if (date is not { } d)
        {
            return null;
        }

        var local = d.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
