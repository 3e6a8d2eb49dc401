using Aida.Platform.Jobs;

namespace Aida.Platform.Events.Webhooks;

/// <summary>One line of a subscription's delivery log.</summary>
public sealed record WebhookDeliveryResponse(
    Guid Id,
    Guid SubscriptionId,
    Guid EventId,
    string EventType,
    WebhookDeliveryStatus Status,
    int Attempts,
    DateTime CreatedAt,
    DateTime? LastAttemptAt,
    DateTime? NextAttemptAt,
    DateTime? DeliveredAt,
    int? ResponseStatus,
    int? LatencyMs,
    string? ResponseExcerpt,
    string? Error,
    Guid? ReplayOf);

public static class WebhookDeliveryResponses
{
    public static WebhookDeliveryResponse ToResponse(this WebhookDelivery d) =>
        new(d.Id, d.SubscriptionId, d.EventId, d.EventType, d.Status, d.Attempts, d.CreatedAt, d.LastAttemptAt,
            d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null, d.DeliveredAt, d.ResponseStatus, d.LatencyMs,
            d.ResponseExcerpt, d.Error, d.ReplayOf);
}

/// <summary>A subscription's delivery log, newest first: status, time, response code, latency, body excerpt, attempts.</summary>
public static class ListWebhookDeliveries
{
    private const string Sort = "-createdAt";

    public static async Task<Results<Ok<Page<WebhookDeliveryResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, string? status, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var wanted = QueryValues.Enum<WebhookDeliveryStatus>(status, "status", errors);
        return errors.Any ? errors.ToProblem() : (await RunAsync(id, wanted, limit, cursor, db, cancellationToken)).ToOk();
    }

    public static async Task<Result<Page<WebhookDeliveryResponse>>> RunAsync(
        Guid id, WebhookDeliveryStatus? status, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var after = Paging.DecodeTimeCursor(cursor, Sort, errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (!await db.Set<WebhookSubscription>().AnyAsync(s => s.Id == id, cancellationToken))
        {
            return new Failure.NotFound("webhook");
        }

        var query = db.Set<WebhookDelivery>().AsNoTracking().Where(d => d.SubscriptionId == id);
        if (status is { } wanted)
        {
            query = query.Where(d => d.Status == wanted);
        }

        if (after is { } position)
        {
            query = query.Where(d => d.CreatedAt < position.Time || (d.CreatedAt == position.Time && d.Id.CompareTo(position.Id) < 0));
        }

        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take ? Paging.EncodeTimeCursor(Sort, rows[take - 1].CreatedAt, rows[take - 1].Id) : null;
        return Result.Ok(new Page<WebhookDeliveryResponse>(rows.Take(take).Select(d => d.ToResponse()).ToList(), next));
    }
}

/// <summary>
/// Sends deliveries again: one (by id), or every delivery of the subscription created in a time range.
/// Each replay is a new delivery at the end of the queue with the same event id (webhook-id) and body, so
/// a receiver that already has the event can tell; the original keeps its log.
/// </summary>
public static class ReplayWebhookDeliveries
{
    public const int MaxReplay = 10_000;

    public sealed record Request(Guid? DeliveryId, DateTime? From, DateTime? To);

    public sealed record Response(int Replayed, IReadOnlyList<Guid> DeliveryIds);

    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] Request request, AidaDb db, JobTriggers triggers, CancellationToken cancellationToken)
    {
        var result = await RunAsync(id, request, db, cancellationToken);
        if (result.Succeeded)
        {
            triggers.RunSoon(WebhookDeliveryJob.JobName);
        }

        return result.ToOk();
    }

    public static async Task<Result<Response>> RunAsync(Guid id, Request request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.DeliveryId is null && (request.From is null || request.To is null))
        {
            errors.Add("deliveryId", "Give a delivery's id, or a time range with from and to.");
        }
        else if (request.DeliveryId is not null && (request.From is not null || request.To is not null))
        {
            errors.Add("deliveryId", "Give either a delivery's id or a time range, not both.");
        }
        else if (request.From is { } from && request.To is { } to && from > to)
        {
            errors.Add("to", "Must not be before from.");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (!await db.Set<WebhookSubscription>().AnyAsync(s => s.Id == id, cancellationToken))
        {
            return new Failure.NotFound("webhook");
        }

        var query = db.Set<WebhookDelivery>().AsNoTracking().Where(d => d.SubscriptionId == id);
        if (request.DeliveryId is { } deliveryId)
        {
            query = query.Where(d => d.Id == deliveryId);
        }
        else
        {
            var from = Time.Truncate(request.From!.Value.ToUniversalTime());
            var to = Time.Truncate(request.To!.Value.ToUniversalTime());
            query = query.Where(d => d.CreatedAt >= from && d.CreatedAt <= to && d.ReplayOf == null);
        }

        var originals = await query.OrderBy(d => d.Ordinal).Take(MaxReplay + 1).ToListAsync(cancellationToken);
        if (request.DeliveryId is not null && originals.Count == 0)
        {
            return new Failure.NotFound("delivery of this webhook");
        }

        if (originals.Count > MaxReplay)
        {
            return new Failure.Invalid("from", $"The range holds more than {MaxReplay} deliveries; replay a shorter range.");
        }

        var now = db.Clock.UtcNow();
        var ordinal = await WebhookQueue.ReserveAsync(db, id, originals.Count, cancellationToken);
        var replays = originals.Select(o => new WebhookDelivery
        {
            SubscriptionId = id,
            Ordinal = ordinal++,
            EventId = o.EventId,
            EventType = o.EventType,
            Payload = o.Payload,
            Status = WebhookDeliveryStatus.Pending,
            NextAttemptAt = now,
            ReplayOf = o.ReplayOf ?? o.Id,
            CreatedAt = now,
        }).ToList();
        db.AddRange(replays);
        db.Publish("webhook.replayed", WebhookRules.Subject(id), () => new { webhookId = id, deliveries = replays.Count });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(new Response(replays.Count, replays.Select(r => r.Id).ToList()));
    }
}

/// <summary>Queues a <c>webhook.test</c> event for this subscription only (not written to the outbox), to check the receiver.</summary>
public static class SendTestWebhook
{
    public static async Task<Results<Ok<WebhookDeliveryResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, JobTriggers triggers, CancellationToken cancellationToken)
    {
        var result = await RunAsync(id, db, cancellationToken);
        if (result.Succeeded)
        {
            triggers.RunSoon(WebhookDeliveryJob.JobName);
        }

        return result.ToOk();
    }

    public static async Task<Result<WebhookDeliveryResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (!await db.Set<WebhookSubscription>().AnyAsync(s => s.Id == id, cancellationToken))
        {
            return new Failure.NotFound("webhook");
        }

        var now = db.Clock.UtcNow();
        var eventId = Guid.CreateVersion7();
        var envelope = new WebhookEnvelope(eventId, "webhook.test", WebhookRules.Subject(id), now, db.Operation.ActorId,
            JsonSerializer.SerializeToElement(new { message = "A test event sent from Aida's webhook settings.", webhookId = id }, ApiJson.Options));
        var delivery = new WebhookDelivery
        {
            SubscriptionId = id,
            Ordinal = await WebhookQueue.ReserveAsync(db, id, 1, cancellationToken),
            EventId = eventId,
            EventType = envelope.Type,
            Payload = JsonSerializer.Serialize(envelope, ApiJson.Options),
            Status = WebhookDeliveryStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        };
        db.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(delivery.ToResponse());
    }
}
