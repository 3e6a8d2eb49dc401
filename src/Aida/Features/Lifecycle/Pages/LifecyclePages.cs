namespace Aida.Features.Lifecycle.Pages;

/// <summary>The lifecycle's forms: a move from the customer page, and a manager's decision on the approvals page.</summary>
public static class LifecyclePages
{
    public static async Task<IResult> Move(Guid customerId, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var url = $"/customers/{customerId}?tab=lifecycle";
        var request = new MoveCustomerStage.Request(values.Id("stageId"), values.Text("reason"), values.Text("override") == "true");
        if (values.Errors.Any)
        {
            Flash.Set(http, FlashKind.Error, "The stage was not changed: " + string.Join(" ", values.OwnErrors.SelectMany(e => e.Value)));
            return TypedResults.Redirect(url);
        }

        // The version the form was rendered from: a move decided on a stale page is refused, not applied blindly.
        var result = await MoveCustomerStage.RunAsync(customerId, request, values.IfMatch, StageChangeTrigger.Manual, db, cancellationToken);
        if (result.Failure is Failure.NotFound)
        {
            return Html.NotFound(http, "customer");
        }

        var done = result.Value?.Outcome switch
        {
            StageMoveOutcome.Pending => $"The move to {result.Value.Request!.To.Name} waits for a manager's approval.",
            StageMoveOutcome.Unchanged => "The customer was already in that stage.",
            _ => $"The customer is now {result.Value?.Lifecycle.Stage.Name}.",
        };
        return Html.Finish(http, result.Failure, url, done);
    }

    /// <summary>
    /// A purchase typed in by hand (an order taken on the phone, an invoice from a system without an integration):
    /// the API's own rules, so a repeated reference is recorded once and another currency is refused with the reason.
    /// </summary>
    public static async Task<IResult> RecordPurchase(Guid customerId, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var url = $"/customers/{customerId}?tab=lifecycle";
        var amount = values.Text("amount") is { } text
            ? decimal.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : Invalid(values, "amount", "Must be an amount, e.g. 1500 or -200.50 for a refund.")
            : null;
        var request = new Lifecycle.RecordPurchase.Request(amount, values.Text("currency")?.ToUpperInvariant(), values.Date("purchasedOn"),
            values.Text("externalId"), values.Text("description"), values.Flag("isRenewal"));
        if (values.Errors.Any)
        {
            Flash.Set(http, FlashKind.Error, "No purchase was recorded: " + string.Join(" ", values.OwnErrors.SelectMany(e => e.Value)));
            return TypedResults.Redirect(url);
        }

        var result = await Lifecycle.RecordPurchase.RunAsync(customerId, request, db, cancellationToken);
        if (result.Failure is Failure.NotFound)
        {
            return Html.NotFound(http, "customer");
        }

        var done = result.Value is { IsNew: false }
            ? $"A purchase with reference {result.Value.Purchase.ExternalId} was already recorded; nothing changed."
            : result.Value?.Purchase.IsRefund == true ? "The refund was recorded." : "The purchase was recorded.";
        return Html.Finish(http, result.Failure, url, done);
    }

    private static decimal? Invalid(FormValues values, string field, string message)
    {
        values.Errors.Add(field, message);
        return null;
    }

    public static async Task<IResult> Approvals(HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var pending = (await ListApprovals.RunAsync(null, db, cancellationToken)).Value!;
        var names = await db.Set<Aida.Features.Customers.Customer>().AsNoTracking()
            .Where(c => pending.Select(p => p.CustomerId).Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);
        return Html.Page<ApprovalsPage>(new
        {
            Context = UiContext.For(http),
            View = new ApprovalsView(pending, names, await UserDirectory.LoadAsync(db, cancellationToken)),
        });
    }

    public static Task<IResult> Approve(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken) =>
        DecideAsync(id, approve: true, http, db, posted, cancellationToken);

    public static Task<IResult> Reject(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken) =>
        DecideAsync(id, approve: false, http, db, posted, cancellationToken);

    private static async Task<IResult> DecideAsync(Guid id, bool approve, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var result = await DecideStageChange.RunAsync(id, approve, values.Text("note"), db, cancellationToken);
        return Html.Finish(http, result.Failure, "/lifecycle/approvals", approve ? "The move was approved and applied." : "The move was rejected.");
    }
}

public sealed record ApprovalsView(
    IReadOnlyList<StageChangeRequestResponse> Pending,
    IReadOnlyDictionary<Guid, string> CustomerNames,
    UserDirectory Users);
