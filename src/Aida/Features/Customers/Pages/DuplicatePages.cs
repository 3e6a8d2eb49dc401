using Aida.Features.Customers.Duplicates;

namespace Aida.Features.Customers.Pages;

/// <summary>
/// The duplicate review queue as a page (issue 17): clusters of likely duplicates side by side with their scores
/// and reasons, customers or leads; Merge is what the record type offers (<see cref="IDuplicateRecords.Merge"/>: the
/// customers' wizard, or a pick of the lead to keep); Dismiss and Defer decide a pair. Calls the same use cases as
/// the API (<see cref="ListDuplicates"/>, <see cref="DecideDuplicate"/>).
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
            MergeUi = records.First(r => r.Type == recordType).Merge,
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

    /// <summary>Back to the list the form was posted from (only a path of this page, never another site).</summary>
    public static string Back(HttpContext http) =>
        http.Request.Form["back"].ToString() is { } back && back.StartsWith("/duplicates", StringComparison.Ordinal) && !back.StartsWith("//", StringComparison.Ordinal)
            ? back
            : "/duplicates";
}
