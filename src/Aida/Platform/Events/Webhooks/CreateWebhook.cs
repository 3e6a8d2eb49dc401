using Microsoft.Extensions.Options;

namespace Aida.Platform.Events.Webhooks;

/// <summary>
/// Subscribes a URL to events (admin.settings). The creator owns it: it receives only what they may see,
/// from the moment it is created on. The answer carries the signing secret, the only time it is shown.
/// </summary>
public static class CreateWebhook
{
    public sealed record Request(string? Url, string? Description, IReadOnlyList<string?>? EventTypes, WebhookFilterInput? Filter, bool? IsActive);

    public static async Task<Results<Created<WebhookResponse>, ValidationProblem>> Handle(
        [FromBody] Request request, AidaDb db, IOptions<WebhookOptions> options, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, options.Value, cancellationToken)).ToCreatedOrInvalid(response, created => WebhookRules.Location(created.Id));

    public static async Task<Result<WebhookResponse>> RunAsync(Request request, AidaDb db, WebhookOptions options, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var url = await WebhookRules.UrlAsync(errors, request.Url, options.AllowPrivateNetworks, cancellationToken);
        var description = errors.OptionalText("description", request.Description, WebhookSubscription.DescriptionMaxLength);
        var types = WebhookRules.EventTypes(errors, request.EventTypes);
        var filter = WebhookRules.Filter(errors, request.Filter);
        if (db.Operation.ActorId == User.SystemId)
        {
            // Deliveries are filtered by their owner's access; the system actor is nobody's to check.
            errors.Add("", "A webhook is owned by a signed-in user.");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var subscription = new WebhookSubscription
        {
            Url = url!,
            Description = description,
            EventTypeList = types!,
            FilterSubject = filter?.Subject,
            FilterField = filter?.Field,
            FilterEquals = filter?.Value,
            Secret = WebhookSecrets.NewSecret(),
            IsActive = request.IsActive ?? true,
            OwnerId = db.Operation.ActorId,
            // Only what is committed from now on; an older transaction that commits later is still ahead of this on PostgreSQL.
            FeedCursor = db.Dialect.FormatFeedPosition(await db.Dialect.ReadFeedEndAsync(db, cancellationToken)),
        };
        db.Add(subscription);
        db.Publish("webhook.created", WebhookRules.Subject(subscription.Id), () => new { webhook = subscription.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(subscription.ToResponse(withSecret: true), subscription.Version);
    }
}
