using System.Text.Json.Nodes;

namespace Aida.Features.Lifecycle;

public sealed record PurchaseResponse(
    Guid Id,
    Guid CustomerId,
    decimal Amount,
    string Currency,
    DateOnly PurchasedOn,
    string ExternalId,
    bool IsRenewal,
    bool IsRefund,
    string? Description,
    Guid? CreatedBy,
    DateTime CreatedAt);

/// <summary>
/// <c>POST /api/v1/customers/{id}/purchases</c> (issue 16 item 4, spec 002 CustomerLifecycle AC-2 "revenue and
/// purchase metrics update from the financial module"): an accounting or booking system records a purchase
/// or, as a negative amount, a refund. In the same save: the customer's purchase figures
/// (<see cref="CustomerLifecycle"/>), the first-purchase and renewal milestones, the automatic stage moves a
/// purchase makes (a churned customer who buys is Won Back; a prospect who buys is a Customer) and
/// <c>customer.purchase_recorded</c>.
/// Idempotent on the external id: the same purchase sent again answers 200 with the stored one and changes
/// nothing; the same external id with different content is a 409 naming <c>externalId</c>.
/// Currency: a customer's figures are in the currency of its first purchase; amounts of different currencies
/// are never added, so a purchase in another currency is refused (409 naming <c>currency</c>) — convert it first.
/// </summary>
public static class RecordPurchase
{
    public const string PurchaseAfterChurnRule = "Purchase after churn";
    public const string PurchaseMadeRule = "Purchase made";

    /// <summary>A date a day ahead of UTC is today somewhere; beyond that it has not happened yet.</summary>
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

    public sealed record Request(decimal? Amount, string? Currency, DateOnly? PurchasedOn, string? ExternalId, string? Description, bool? IsRenewal);

    public sealed record Recorded(PurchaseResponse Purchase, bool IsNew);

    public static async Task<Results<Created<PurchaseResponse>, Ok<PurchaseResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] Request request, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await RunAsync(id, request, db, cancellationToken);
        if (!result.Succeeded)
        {
            return result.Failure is Failure.Invalid invalid ? invalid.ToValidationProblem() : result.Failure.ToProblem();
        }

        var purchase = result.Value.Purchase;
        return result.Value.IsNew
            ? TypedResults.Created($"/api/v1/customers/{id}/purchases/{purchase.Id}", purchase)
            : TypedResults.Ok(purchase);
    }

    public static async Task<Result<Recorded>> RunAsync(Guid customerId, Request request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Amount is not { } amount)
        {
            errors.Add("amount", "Is required: the amount paid, negative for a refund.");
            amount = 0;
        }
        else if (amount == 0)
        {
            errors.Add("amount", "Must not be zero: a purchase is positive, a refund negative.");
        }
        else
        {
            Money.Amount(errors, "amount", Math.Abs(amount));
        }

        var currency = Money.Currency(errors, "currency", request.Currency, required: true);
        var today = DateOnly.FromDateTime(db.Clock.UtcNow() + FutureTolerance);
        if (request.PurchasedOn is not { } purchasedOn)
        {
            errors.Add("purchasedOn", "Is required: the date of the purchase (yyyy-mm-dd).");
        }
        else if (purchasedOn > today)
        {
            errors.Add("purchasedOn", "Must not be in the future.");
        }

        var externalId = errors.RequiredText("externalId", request.ExternalId, Purchase.ExternalIdMaxLength);
        var description = errors.OptionalText("description", request.Description, Purchase.DescriptionMaxLength);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        // Two purchases of one customer at once are applied one after the other: each adds to the figures the other left.
        await db.LockRowAsync<CustomerLifecycle>(customerId, cancellationToken);
        var lifecycle = await db.Set<CustomerLifecycle>().FirstOrDefaultAsync(l => l.Id == customerId, cancellationToken);
        if (lifecycle is null)
        {
            return new Failure.NotFound("customer");
        }

        var date = request.PurchasedOn!.Value;
        var isRenewal = request.IsRenewal == true;
        var stored = await db.Set<Purchase>().AsNoTracking().FirstOrDefaultAsync(p => p.CustomerId == customerId && p.ExternalId == externalId, cancellationToken);
        if (stored is not null)
        {
            return stored.Amount == amount && stored.Currency == currency && stored.PurchasedOn == date && stored.IsRenewal == isRenewal && stored.Description == description
                ? Result.Ok(new Recorded(stored.ToResponse(), false))
                : new Failure.Conflict("externalId",
                    "This customer already has a purchase with this external id, with different content. Purchases are not edited: record a refund or a new purchase.");
        }

        if (lifecycle.PurchaseCurrency is { } customerCurrency && customerCurrency != currency)
        {
            return new Failure.Conflict("currency",
                $"This customer's purchases are recorded in {customerCurrency}; amounts in different currencies are not added. Convert the amount to {customerCurrency}.");
        }

        if (Math.Abs(lifecycle.TotalRevenue + amount) > Money.MaxAmount)
        {
            return new Failure.Conflict("amount", "The customer's total revenue would exceed what can be stored.");
        }

        var purchase = new Purchase
        {
            CustomerId = customerId,
            Amount = amount,
            Currency = currency!,
            PurchasedOn = date,
            ExternalId = externalId!,
            IsRenewal = isRenewal,
            Description = description,
            CreatedBy = db.Operation.ActorId,
        };
        db.Add(purchase);
        var isFirst = await ApplyAsync(db, lifecycle, purchase, cancellationToken);
        db.Publish("customer.purchase_recorded", $"customers/{customerId}/purchases/{purchase.Id}",
            () => new { purchase = purchase.ToResponse(), totalRevenue = lifecycle.TotalRevenue, purchaseCount = lifecycle.PurchaseCount, currency = lifecycle.PurchaseCurrency, isFirst });

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(new Recorded(purchase.ToResponse(), true));
    }

    /// <summary>
    /// What a new purchase changes besides itself: the customer's figures (a refund lowers the revenue and
    /// leaves the count and dates, which are of purchases), its milestones and its stage. Whether it was the first.
    /// </summary>
    private static async Task<bool> ApplyAsync(AidaDb db, CustomerLifecycle lifecycle, Purchase purchase, CancellationToken cancellationToken)
    {
        lifecycle.PurchaseCurrency ??= purchase.Currency;
        lifecycle.TotalRevenue += purchase.Amount;
        if (purchase.IsRefund)
        {
            return false;
        }

        lifecycle.PurchaseCount++;
        lifecycle.FirstPurchaseDate = lifecycle.FirstPurchaseDate is { } first && first < purchase.PurchasedOn ? first : purchase.PurchasedOn;
        lifecycle.LastPurchaseDate = lifecycle.LastPurchaseDate is { } last && last > purchase.PurchasedOn ? last : purchase.PurchasedOn;

        var details = () => new JsonObject { ["purchaseId"] = purchase.Id, ["amount"] = purchase.Amount, ["currency"] = purchase.Currency };
        var occurredAt = purchase.PurchasedOn.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var isFirst = !await Journey.HasAsync(db, lifecycle.Id, MilestoneType.FirstPurchase, cancellationToken);
        if (isFirst)
        {
            Journey.Record(db, lifecycle.Id, MilestoneType.FirstPurchase, occurredAt, details());
        }

        if (purchase.IsRenewal)
        {
            Journey.Record(db, lifecycle.Id, MilestoneType.Renewal, occurredAt, details());
        }

        // Issue 16 item 3: a purchase moves the customer the way a won deal does. Rules record facts, so they
        // move forward only, take no approval and skip a target stage an administrator deactivated.
        var stages = await StageCatalog.LoadAsync(db, cancellationToken);
        var current = stages[lifecycle.CurrentStageId];
        var (target, rule) = current.Category switch
        {
            StageCategory.PostCustomer => (LifecycleStage.WonBackId, PurchaseAfterChurnRule),
            StageCategory.PreCustomer => (LifecycleStage.CustomerId, PurchaseMadeRule),
            _ => (Guid.Empty, ""),
        };
        if (stages.Live(target) is { IsActive: true } to)
        {
            StageMoves.Apply(db, stages, lifecycle, current, to, new StageMove(lifecycle.Id, to.Id, null, StageChangeTrigger.Rule, rule),
                approvedBy: null, isOverride: false);
        }

        return isFirst;
    }

    public static PurchaseResponse ToResponse(this Purchase p) =>
        new(p.Id, p.CustomerId, p.Amount, p.Currency, p.PurchasedOn, p.ExternalId, p.IsRenewal, p.IsRefund, p.Description, p.CreatedBy, p.CreatedAt);
}
