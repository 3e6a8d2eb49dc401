using Microsoft.Extensions.Options;

namespace Aida.Platform.Events.Webhooks;

/// <summary>Edits a subscription (merge-patch, If-Match). Switching it back on clears why it was switched off.</summary>
public static class UpdateWebhook
{
    public sealed record Request(
        Optional<string> Url,
        Optional<string?> Description,
        Optional<IReadOnlyList<string?>> EventTypes,
        Optional<WebhookFilterInput?> Filter,
        Optional<bool> IsActive);

    public static async Task<Results<Ok<WebhookResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] Request request, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db,
        IOptions<WebhookOptions> options, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, options.Value, cancellationToken)).ToOk(response);

    public static async Task<Result<WebhookResponse>> RunAsync(
        Guid id, Request request, string? ifMatch, AidaDb db, WebhookOptions options, CancellationToken cancellationToken)
    {
        // The URL is resolved before the transaction: a slow DNS answer must not hold the write gate.
        var errors = new ValidationErrors();
        var url = request.Url.IsSet ? await WebhookRules.UrlAsync(errors, request.Url.Value, options.AllowPrivateNetworks, cancellationToken) : null;
        var description = request.Description.IsSet ? errors.OptionalText("description", request.Description.Value, WebhookSubscription.DescriptionMaxLength) : null;
        var types = request.EventTypes.IsSet ? WebhookRules.EventTypes(errors, request.EventTypes.Value) : null;
        var filter = request.Filter.IsSet ? WebhookRules.Filter(errors, request.Filter.Value) : null;
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        return await db.ChangeAsync(db.Set<WebhookSubscription>().Where(s => s.Id == id), ifMatch, "webhook", subscription =>
        {
            if (url is not null)
            {
                subscription.Url = url;
            }

            if (request.Description.IsSet)
            {
                subscription.Description = description;
            }

            if (types is not null)
            {
                subscription.EventTypeList = types;
            }

            if (request.Filter.IsSet)
            {
                subscription.FilterSubject = filter?.Subject;
                subscription.FilterField = filter?.Field;
                subscription.FilterEquals = filter?.Value;
            }

            if (request.IsActive.IsSet && request.IsActive.Value && !subscription.IsActive)
            {
                subscription.DisabledAt = null;
                subscription.DisabledReason = null;
                subscription.FailingSince = null;
            }

            subscription.IsActive = request.IsActive.Or(subscription.IsActive);
            db.PublishChanges(subscription, "webhook.updated", WebhookRules.Subject(subscription.Id), changes => new { webhook = subscription.ToResponse(), changes });
            return Task.FromResult<Failure?>(null);
        }, s => s.ToResponse(), cancellationToken);
    }
}

/// <summary>
/// A new signing secret, shown once in the answer. The old one keeps signing beside it for
/// Webhooks:PreviousSecretGrace (a day by default), so a receiver can switch over without dropping deliveries.
/// </summary>
public static class RotateWebhookSecret
{
    public static async Task<Results<Ok<WebhookResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, IOptions<WebhookOptions> options,
        HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, options.Value, cancellationToken)).ToOk(response);

    public static Task<Result<WebhookResponse>> RunAsync(Guid id, string? ifMatch, AidaDb db, WebhookOptions options, CancellationToken cancellationToken) =>
        db.ChangeAsync(db.Set<WebhookSubscription>().Where(s => s.Id == id), ifMatch ?? "*", "webhook", subscription =>
        {
            subscription.PreviousSecret = subscription.Secret;
            subscription.PreviousSecretExpiresAt = db.Clock.UtcNow() + options.PreviousSecretGrace;
            subscription.Secret = WebhookSecrets.NewSecret();
            // The secret is not audited, so the rotation is recorded by its event (and the version moves on).
            db.Publish("webhook.secret_rotated", WebhookRules.Subject(subscription.Id), () => new { webhook = subscription.ToResponse() });
            return Task.FromResult<Failure?>(null);
        }, s => s.ToResponse(withSecret: true), cancellationToken);
}

/// <summary>Deletes a subscription (soft delete): nothing more is sent; its delivery log stays.</summary>
public static class DeleteWebhook
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, cancellationToken)).ToNoContent();

    public static async Task<Result<WebhookSubscription>> RunAsync(Guid id, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var result = await db.SoftDeleteAsync(db.Set<WebhookSubscription>().Where(s => s.Id == id), ifMatch, "webhook",
            "webhook.deleted", s => WebhookRules.Subject(s.Id), s => new { webhook = s.ToResponse() }, cancellationToken);
        if (result.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }
}

public static class GetWebhook
{
    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static Task<Result<WebhookResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        db.Set<WebhookSubscription>().AsNoTracking().Where(s => s.Id == id).FindAsync("webhook", s => s.ToResponse(), cancellationToken);
}

/// <summary>Every subscription, by creation. An installation has a handful, so the list is one page.</summary>
public static class ListWebhooks
{
    public const int MaxWebhooks = 500;

    public static async Task<Ok<Page<WebhookResponse>>> Handle(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RunAsync(db, cancellationToken));

    public static async Task<Page<WebhookResponse>> RunAsync(AidaDb db, CancellationToken cancellationToken)
    {
        var items = await db.Set<WebhookSubscription>().AsNoTracking().OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).Take(MaxWebhooks).ToListAsync(cancellationToken);
        return new Page<WebhookResponse>(items.Select(s => s.ToResponse()).ToList(), null);
    }
}
