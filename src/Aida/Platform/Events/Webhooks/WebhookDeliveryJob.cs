using System.Collections.Concurrent;
using Aida.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace Aida.Platform.Events.Webhooks;

/// <summary>
/// "webhooks.deliver": turns the outbox into deliveries and sends them, for every active subscription.
/// <list type="number">
/// <item>Fan-out: the event feed is read from the subscription's cursor in commit order, as its owner
/// (OperationContext.BecomeUser with the owner's access), so the feed's record-level filters decide what the
/// subscription may receive; matching events become delivery rows, written with the moved cursor in one
/// transaction per batch. The cursor only moves if nobody moved it meanwhile, so no event is queued twice.</item>
/// <item>Send: the queue is sent strictly in order; the head must succeed (or be dead-lettered after the retry
/// window) before the next is sent. Results are written per batch, after the sends: a crash between a send
/// and its write sends it again (at least once; the webhook-id lets receivers drop the repeat).</item>
/// </list>
/// Each subscription has its own pump on this node; pumps run concurrently, so a receiver that hangs or fails
/// holds only its own queue. A run starts the pumps that are not running and waits briefly for them: a pump
/// stuck on a slow receiver goes on after the run returns (bounded by the time-out), and the next run leaves
/// its subscription to it.
/// </summary>
public sealed class WebhookDeliveryJob(
    IServiceScopeFactory scopes,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<WebhookDeliveryJob> logger) : IScheduledJob, IDisposable
{
    public const string JobName = "webhooks.deliver";

    /// <summary>How long a run waits for its pumps before returning (they go on).</summary>
    private static readonly TimeSpan RunWait = TimeSpan.FromSeconds(2);

    /// <summary>How long one pump keeps going before it ends and lets the next run start it again.</summary>
    private static readonly TimeSpan PumpBudget = TimeSpan.FromSeconds(30);

    /// <summary>How soon to look again when committed events are held back behind a transaction still running.</summary>
    private static readonly TimeSpan HeldBackRetry = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<Guid, Task<int>> _pumps = new();
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.Concurrency));
    private WebhookOptions Settings => options.Value;

    public string Name => JobName;

    public string Description => "Sends events to webhook subscriptions, in order per subscription, retrying failed deliveries.";

    public TimeSpan Interval => Settings.PollInterval;

    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken)
    {
        List<Guid> active;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            active = await db.Set<WebhookSubscription>().AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(cancellationToken);
        }

        var started = new List<Task<int>>();
        foreach (var id in active)
        {
            if (_pumps.TryGetValue(id, out var running) && !running.IsCompleted)
            {
                started.Add(running);
                continue;
            }

            var pump = Task.Run(() => PumpAsync(id), CancellationToken.None);
            _pumps[id] = pump;
            started.Add(pump);
        }

        var all = Task.WhenAll(started);
        await Task.WhenAny(all, Task.Delay(RunWait, cancellationToken));
        var items = started.Where(t => t.IsCompletedSuccessfully).Sum(t => t.Result);
        if (!all.IsCompleted || started.Count == 0)
        {
            return new JobOutcome(items, MoreDue: !all.IsCompleted);
        }

        // Every pump read the feed to its end; events it could not see yet are held back behind a running transaction.
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            return new JobOutcome(items, RetryAfter: await db.Dialect.FeedHoldsBackAsync(db, cancellationToken) ? HeldBackRetry : null);
        }
    }

    /// <summary>Fan-out and send for one subscription until it has nothing to do or its budget is spent.</summary>
    private async Task<int> PumpAsync(Guid subscriptionId)
    {
        var stopping = lifetime.ApplicationStopping;
        var until = clock.GetUtcNow() + PumpBudget;
        var items = 0;
        await _slots.WaitAsync(stopping);
        try
        {
            while (!stopping.IsCancellationRequested && clock.GetUtcNow() < until)
            {
                var (queued, moreEvents) = await FanOutAsync(subscriptionId, stopping);
                var sent = await SendAsync(subscriptionId, stopping);
                items += queued + sent;
                if (!moreEvents && sent == 0)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: what was not written is sent again by the next run (at least once).
        }
        catch (Exception e)
        {
            // One subscription's trouble (its owner gone, a database hiccup) must not stop the others; the next run retries.
            logger.LogError(e, "Webhook {SubscriptionId}: delivery stopped on an error", subscriptionId);
        }
        finally
        {
            _slots.Release();
        }

        return items;
    }

    /// <summary>Turns the next batch of the feed into deliveries; says how many were queued and whether the feed has more.</summary>
    private async Task<(int Queued, bool More)> FanOutAsync(Guid subscriptionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var subscription = await db.Set<WebhookSubscription>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscriptionId, cancellationToken);
        if (subscription is not { IsActive: true })
        {
            return (0, false);
        }

        var owner = await db.Set<User>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(u => u.Id == subscription.OwnerId, cancellationToken);
        if (owner is not { IsActive: true })
        {
            await DisableAsync(subscriptionId, "Its owner's account was deactivated.", notify: false, cancellationToken);
            return (0, false);
        }

        // From here on this scope reads as the owner: the feed's filters show exactly what they may see.
        db.Operation.BecomeUser(owner.Id, owner.DisplayName, Access.Of(owner.Role, owner.TeamId, readOnlyToken: false), null);
        var after = subscription.FeedCursor.Length == 0 ? default
            : db.Dialect.TryParseFeedPosition(subscription.FeedCursor, out var position) ? position
            : throw new InvalidOperationException($"Webhook {subscriptionId} has a feed cursor this database does not read.");
        var batch = Settings.BatchSize;
        var rows = await db.Dialect.ReadFeedAsync(db, after, batch, null, cancellationToken);
        if (rows.Count == 0)
        {
            return (0, false);
        }

        var types = subscription.EventTypeList;
        var filter = WebhookRules.FilterOf(subscription);
        var matching = rows.Where(r => WebhookRules.TypeMatches(types, r.Event.Type) && WebhookRules.FilterMatches(filter, r.Event.Subject, r.Event.Data)).ToList();
        var cursor = db.Dialect.FormatFeedPosition(rows[^1].Position);
        var now = clock.UtcNow();

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var moved = await db.Set<WebhookSubscription>()
            .Where(s => s.Id == subscriptionId && s.FeedCursor == subscription.FeedCursor)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.FeedCursor, cursor), cancellationToken);
        if (moved == 0)
        {
            // Another run (another node whose lease lapsed) queued this batch first: read again from where it left off.
            return (0, true);
        }

        if (matching.Count > 0)
        {
            var ordinal = await WebhookQueue.ReserveAsync(db, subscriptionId, matching.Count, cancellationToken);
            foreach (var (e, _) in matching)
            {
                var envelope = new WebhookEnvelope(e.Id, e.Type, e.Subject, e.OccurredAt, e.ActorId, SensitiveFields.Shown(db, e.Data));
                db.Add(new WebhookDelivery
                {
                    SubscriptionId = subscriptionId,
                    Ordinal = ordinal++,
                    EventId = e.Id,
                    EventType = e.Type,
                    Payload = JsonSerializer.Serialize(envelope, ApiJson.Options),
                    Status = WebhookDeliveryStatus.Pending,
                    NextAttemptAt = now,
                    CreatedAt = now,
                });
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (matching.Count, rows.Count == batch);
    }

    /// <summary>Sends the head of the queue and what follows it, in order, until one fails or is not due; writes the results together.</summary>
    private async Task<int> SendAsync(Guid subscriptionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var subscription = await db.Set<WebhookSubscription>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscriptionId, cancellationToken);
        if (subscription is not { IsActive: true })
        {
            return 0;
        }

        var queue = await db.Set<WebhookDelivery>()
            .Where(d => d.SubscriptionId == subscriptionId && d.Status == WebhookDeliveryStatus.Pending)
            .OrderBy(d => d.Ordinal).Take(Settings.BatchSize).ToListAsync(cancellationToken);
        var secrets = new List<string> { subscription.Secret };
        if (subscription.PreviousSecret is { } previous && subscription.PreviousSecretExpiresAt > clock.UtcNow())
        {
            secrets.Add(previous);
        }

        var attempted = 0;
        bool? lastSucceeded = null;
        string? lastError = null;
        foreach (var delivery in queue)
        {
            var now = clock.UtcNow();
            if (delivery.NextAttemptAt > now)
            {
                break; // The head waits for its retry; what follows it waits with it.
            }

            var attempt = await sender.SendAsync(subscription.Url, delivery, secrets, cancellationToken);
            attempted++;
            Record(delivery, attempt, clock.UtcNow());
            lastSucceeded = attempt.Succeeded;
            lastError = attempt.Error;
            if (delivery.Status == WebhookDeliveryStatus.Pending)
            {
                break;
            }
        }

        if (attempted == 0)
        {
            return 0;
        }

        var failingSince = lastSucceeded == true ? null : subscription.FailingSince ?? queue.Where(d => d.FirstAttemptAt is not null).Min(d => d.FirstAttemptAt);
        await using (var transaction = await db.BeginWriteAsync(CancellationToken.None))
        {
            // Written even when shutting down: these sends happened.
            await db.SaveChangesAsync(CancellationToken.None);
            if (lastSucceeded == true)
            {
                await db.Set<WebhookSubscription>().IgnoreQueryFilters().Where(s => s.Id == subscriptionId && s.FailingSince != null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.FailingSince, (DateTime?)null), CancellationToken.None);
            }
            else
            {
                await db.Set<WebhookSubscription>().IgnoreQueryFilters().Where(s => s.Id == subscriptionId && s.FailingSince == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.FailingSince, failingSince), CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }

        if (lastSucceeded == false && failingSince is { } since && clock.UtcNow() - since >= Settings.DisableAfter)
        {
            await DisableAsync(subscriptionId,
                $"Every delivery failed for {Describe(Settings.DisableAfter)}; the last: {lastError}", notify: true, cancellationToken);
        }

        return attempted;
    }

    /// <summary>The attempt's outcome on the delivery: delivered; retried after a backoff with jitter; or dead after the retry window.</summary>
    private void Record(WebhookDelivery delivery, WebhookAttempt attempt, DateTime now)
    {
        delivery.Attempts++;
        delivery.FirstAttemptAt ??= now;
        delivery.LastAttemptAt = now;
        delivery.ResponseStatus = attempt.ResponseStatus;
        delivery.LatencyMs = attempt.LatencyMs;
        delivery.ResponseExcerpt = attempt.ResponseExcerpt;
        delivery.Error = attempt.Error;
        if (attempt.Succeeded)
        {
            delivery.Status = WebhookDeliveryStatus.Delivered;
            delivery.DeliveredAt = now;
        }
        else if (now - delivery.FirstAttemptAt.Value >= Settings.RetryFor)
        {
            delivery.Status = WebhookDeliveryStatus.Dead;
        }
        else
        {
            delivery.NextAttemptAt = now + Backoff(delivery.Attempts);
        }
    }

    /// <summary>
    /// The wait before attempt n+1: FirstBackoff doubled per failure, capped at MaxBackoff, times a random
    /// factor in [0.5, 1] so receivers coming back up are not hit by every queue at the same instant.
    /// </summary>
    public TimeSpan Backoff(int failures)
    {
        var doubled = Settings.FirstBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        var capped = Math.Min(doubled, Settings.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    /// <summary>Switches a subscription off (audited, with its event) and, when it failed, tells its owner in the app.</summary>
    private async Task DisableAsync(Guid subscriptionId, string reason, bool notify, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var subscription = await db.Set<WebhookSubscription>().FirstOrDefaultAsync(s => s.Id == subscriptionId && s.IsActive, cancellationToken);
        if (subscription is null)
        {
            return;
        }

        var now = clock.UtcNow();
        subscription.IsActive = false;
        subscription.DisabledAt = now;
        subscription.DisabledReason = reason.Length <= WebhookSubscription.ReasonMaxLength ? reason : reason[..(WebhookSubscription.ReasonMaxLength - 1)] + "…";
        // The owner is told in the app by the notifications' reaction to this event (Platform names no feature).
        var cause = notify ? "failing" : "owner_deactivated";
        var failedFor = Describe(Settings.DisableAfter);
        db.Publish("webhook.disabled", WebhookRules.Subject(subscriptionId), () => new { webhook = subscription.ToResponse(), cause, failedFor });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public void Dispose() => _slots.Dispose();

    private static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} hours")
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} minutes")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} seconds");
}
