using Aida.Features.Customers.Duplicates;

namespace Aida.Features.Customers.Pages;

/// <summary>
/// The duplicate review queue as a page (issue 17): clusters of likely duplicates side by side with their scores
/// and reasons, customers or leads; for customers Merge opens the merge wizard with the cluster's customers chosen,
/// for leads it merges into the lead picked to keep; Dismiss and Defer decide a pair. Calls the same use cases as
/// the API (<see cref="ListDuplicates"/>, <see cref="DecideDuplicate"/>, <see cref="Leads.MergeLeads"/>).
/// </summary>
public static class DuplicatePages
{
    public static async Task<IResult> List(
        HttpContext http, AidaDb db, IEnumerable<IDuplicateRecords> records, string? type, string? status, string? cursor, CancellationToken cancellationToken)
    {
        var recordType = QueryValues.Enum<DuplicateRecordType>(type, "type", new ValidationErrors()) ?? DuplicateRecordType.Customer;
        var result = await ListDuplicates.RunAsync(EnumText<DuplicateRecordType>.ToText(recordType), status, cursor, 25, db, records, cancellationToken);
        if (result.Failure is not null)
        {
            Flash.Set(http, FlashKind.Error, "That list does not exist; here are the open duplicates.");
            return TypedResults.Redirect("/duplicates");
        }

        return Html.Page<DuplicateQueuePage>(new
        {
            Context = UiContext.For(http),
            Type = recordType,
            Status = QueryValues.Enum<DuplicatePairStatus>(status, "status", new ValidationErrors()) ?? DuplicatePairStatus.Open,
            Page = result.Value!,
        });
    }

    public static Task<IResult> Dismiss(Guid pairId, HttpContext http, AidaDb db, IEnumerable<IDuplicateRecords> records, CancellationToken cancellationToken) =>
        DecideAsync(pairId, DuplicateDecision.Dismiss, null, http, db, records, "Dismissed: this pair will not be proposed again.", cancellationToken);

    public static async Task<IResult> Defer(Guid pairId, HttpContext http, AidaDb db, IEnumerable<IDuplicateRecords> records, IFormCollection form, CancellationToken cancellationToken)
    {
        DateTime? until = null;
        if (form["until"].ToString() is { Length: > 0 } text)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                Flash.Set(http, FlashKind.Error, "Nothing was changed: give the date as year-month-day.");
                return TypedResults.Redirect("/duplicates");
            }

            var zone = UiContext.For(http).Zone;
            until = TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), zone);
        }

        return await DecideAsync(pairId, DuplicateDecision.Defer, until, http, db, records, "Deferred: the pair comes back on its date.", cancellationToken);
    }

    public static Task<IResult> Reopen(Guid pairId, HttpContext http, AidaDb db, IEnumerable<IDuplicateRecords> records, CancellationToken cancellationToken) =>
        DecideAsync(pairId, DuplicateDecision.Reopen, null, http, db, records, "Back in the queue.", cancellationToken);

    private static async Task<IResult> DecideAsync(
        Guid pairId, DuplicateDecision decision, DateTime? until, HttpContext http, AidaDb db, IEnumerable<IDuplicateRecords> records, string done, CancellationToken cancellationToken)
    {
        var result = await DecideDuplicate.RunAsync(pairId, decision, until, db, records, cancellationToken);
        return result.Failure is Failure.NotFound ? Html.NotFound(http, "duplicate pair") : Html.Finish(http, result.Failure, Back(http), done);
    }

    /// <summary>Merges a cluster's leads into the one picked to keep (<c>survivor</c>; the others are <c>lead</c>).</summary>
    public static async Task<IResult> MergeLeads(HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var survivor = Guid.TryParse(form["survivor"], out var kept) ? kept : (Guid?)null;
        var others = form["lead"].Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty && id != survivor).ToList();
        var result = await Leads.MergeLeads.RunAsync(new Leads.MergeLeads.Request(survivor, others), db, cancellationToken);
        if (result.Failure is Failure.NotFound)
        {
            return Html.NotFound(http, "lead");
        }

        return result.Failure is null
            ? Html.Done(http, $"/leads/{survivor}", $"Merged {others.Count} lead{(others.Count == 1 ? "" : "s")} into this one; their touches are here now.")
            : Html.Finish(http, result.Failure, Back(http), "");
    }

    /// <summary>Back to the list the form was posted from (only a path of this page, never another site).</summary>
    private static string Back(HttpContext http) =>
        http.Request.Form["back"].ToString() is { } back && back.StartsWith("/duplicates", StringComparison.Ordinal) && !back.StartsWith("//", StringComparison.Ordinal)
            ? back
            : "/duplicates";

    /// <summary>The merge wizard with the cluster's customers chosen (the first as the page's customer; at most ten, as a merge takes).</summary>
    public static string MergeUrl(DuplicateClusterResponse cluster)
    {
        var ids = cluster.Members.Select(m => m.Id).Take(Merges.CustomerMerge.MaxCustomers).ToList();
        return $"/customers/{ids[0]}/merge?" + string.Join("&", ids.Skip(1).Select(id => "with=" + id));
    }
}
