using System.Collections.Concurrent;
using Aida.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace Aida.Platform.Events.Webhooks;

/// <summary>
/// "webhooks.deliver": sends the outbox to every active subscription, in commit order per subscription.
/// The event feed is read from the subscription's cursor as its owner (OperationContext.BecomeUser with the
/// owner's access), so the feed's record-level filters decide what the subscription may receive. The cursor only
/// moves if nobody moved it meanwhile, so no event is recorded twice.
/// <list type="number">
/// <item>Healthy path (nothing queued): a batch of events is sent straight from the feed, in order, and its
/// delivery log rows are written after the sends, with the cursor's move, in one transaction. A crash between a
/// send and that write sends it again (at least once; the webhook-id lets receivers drop the repeat).</item>
/// <item>Queued path: once a delivery fails, it and everything after it wait in the subscription's queue; new
/// events are appended behind them, and the head must succeed (or be dead-lettered after the retry window)
/// before the next is sent. Replays and test-sends join the queue too.</item>
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
                var (handled, more) = await StepAsync(subscriptionId, stopping);
                items += handled;
                if (!more)
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

    /// <summary>
    /// One step of a pump. With an empty queue (the healthy case) the next events go straight from the feed to the
    /// receiver and their log rows are written once, after sending, with the cursor's move. With a queue (a delivery
    /// waiting for its retry, a replay, a test-send) new events are queued behind it and the queue is sent in order.
    /// Says how many events or deliveries it handled and whether there may be more to do now.
    /// </summary>
    private async Task<(int Handled, bool More)> StepAsync(Guid subscriptionId, CancellationToken cancellationToken)
    {
        bool queued;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            queued = await db.Set<WebhookDelivery>().AnyAsync(d => d.SubscriptionId == subscriptionId && d.Status == WebhookDeliveryStatus.Pending, cancellationToken);
        }

        if (!queued)
        {
            return await SendFromFeedAsync(subscriptionId, cancellationToken);
        }

        var (fannedOut, moreEvents) = await FanOutAsync(subscriptionId, cancellationToken);
        var sent = await SendQueueAsync(subscriptionId, cancellationToken);
        return (fannedOut + sent, moreEvents || sent > 0);
    }

    /// <summary>The subscription, if active, in a scope that reads as its owner: the feed's filters then show exactly what they may see.</summary>
    private async Task<WebhookSubscription?> OpenAsOwnerAsync(AidaDb db, Guid subscriptionId, CancellationToken cancellationToken)
    {
        var subscription = await db.Set<WebhookSubscription>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscriptionId, cancellationToken);
        if (subscription is not { IsActive: true })
        {
            return null;
        }

        var owner = await db.Set<User>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(u => u.Id == subscription.OwnerId, cancellationToken);
        if (owner is not { IsActive: true })
        {
            await DisableAsync(subscriptionId, "Its owner's account was deactivated.", notify: false, cancellationToken);
            return null;
        }

        db.Operation.BecomeUser(owner.Id, owner.DisplayName, Access.Of(owner.Role, owner.TeamId, readOnlyToken: false), null);
        return subscription;
    }

    /// <summary>The next batch of the feed after the cursor, as the owner reads it: the deliveries it makes (not yet numbered), the cursor after it, and whether the feed has more.</summary>
    private async Task<FeedBatch?> ReadFeedAsync(AidaDb db, WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        var after = subscription.FeedCursor.Length == 0 ? default
            : db.Dialect.TryParseFeedPosition(subscription.FeedCursor, out var position) ? position
            : throw new InvalidOperationException($"Webhook {subscription.Id} has a feed cursor this database does not read.");
        var rows = await db.Dialect.ReadFeedAsync(db, after, Settings.BatchSize, null, cancellationToken);
        if (rows.Count == 0)
        {
            return null;
        }

        var types = subscription.EventTypeList;
        var filter = WebhookRules.FilterOf(subscription);
        var now = clock.UtcNow();
        var matching = rows
            .Where(r => WebhookRules.TypeMatches(types, r.Event.Type) && WebhookRules.FilterMatches(filter, r.Event.Subject, r.Event.Data))
            .ToList();
        var deliveries = matching
            .Select(r => new WebhookDelivery
            {
                SubscriptionId = subscription.Id,
                EventId = r.Event.Id,
                EventType = r.Event.Type,
                Payload = JsonSerializer.Serialize(
                    new WebhookEnvelope(r.Event.Id, r.Event.Type, r.Event.Subject, r.Event.OccurredAt, r.Event.ActorId, SensitiveFields.Shown(db, r.Event.Data)),
                    ApiJson.Options),
                Status = WebhookDeliveryStatus.Pending,
                NextAttemptAt = now,
                CreatedAt = now,
            })
            .ToList();
        return new FeedBatch(deliveries, matching.Select(r => r.Event.Subject).ToList(), db.Dialect.FormatFeedPosition(rows[^1].Position), rows.Count == Settings.BatchSize);
    }

    /// <summary>
    /// Moves the cursor past the batch, if nobody moved it meanwhile, and writes its deliveries numbered in feed
    /// order, in the caller's transaction. False when another run (another node whose lease lapsed) was first.
    /// </summary>
    private static async Task<bool> AppendAsync(AidaDb db, WebhookSubscription subscription, FeedBatch batch, CancellationToken cancellationToken)
    {
        var moved = await db.Set<WebhookSubscription>()
            .Where(s => s.Id == subscription.Id && s.FeedCursor == subscription.FeedCursor)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.FeedCursor, batch.Cursor), cancellationToken);
        if (moved == 0)
        {
            return false;
        }

        if (batch.Deliveries.Count > 0)
        {
            var ordinal = await WebhookQueue.ReserveAsync(db, subscription.Id, batch.Deliveries.Count, cancellationToken);
            foreach (var delivery in batch.Deliveries)
            {
                delivery.Ordinal = ordinal++;
                db.Add(delivery);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>Turns the next batch of the feed into queued deliveries; says how many were queued and whether the feed has more.</summary>
    private async Task<(int Queued, bool More)> FanOutAsync(Guid subscriptionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        if (await OpenAsOwnerAsync(db, subscriptionId, cancellationToken) is not { } subscription
            || await ReadFeedAsync(db, subscription, cancellationToken) is not { } batch)
        {
            return (0, false);
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (!await AppendAsync(db, subscription, batch, cancellationToken))
        {
            return (0, true); // Queued by another run first: read again from where it left off.
        }

        await transaction.CommitAsync(cancellationToken);
        return (batch.Deliveries.Count, batch.More);
    }

    /// <summary>
    /// The healthy path: sends the next batch of the feed in order, then writes its log rows (delivered; the first
    /// failure and what follows it pending, to be retried in order) with the cursor's move, in one transaction.
    /// A crash before that write sends the batch again (at least once); a run that lost the cursor to another node
    /// writes nothing, as that node records the batch.
    /// </summary>
    private async Task<(int Sent, bool More)> SendFromFeedAsync(Guid subscriptionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        if (await OpenAsOwnerAsync(db, subscriptionId, cancellationToken) is not { } subscription
            || await ReadFeedAsync(db, subscription, cancellationToken) is not { } batch)
        {
            return (0, false);
        }

        var outcome = await SendInOrderAsync(subscription, batch.Deliveries, batch.Subjects, cancellationToken);
        await using (var transaction = await db.BeginWriteAsync(CancellationToken.None))
        {
            // Written even when shutting down: these sends happened.
            if (!await AppendAsync(db, subscription, batch, CancellationToken.None))
            {
                return (0, true);
            }

            await RecordHealthAsync(db, subscription, batch.Deliveries, outcome);
            await transaction.CommitAsync(CancellationToken.None);
        }

        await DisableIfFailingAsync(subscription, batch.Deliveries, outcome, cancellationToken);
        return (outcome.Attempted, batch.More);
    }

    /// <summary>Sends the head of the queue and what follows it, in order, until one fails or is not due; writes the results together.</summary>
    private async Task<int> SendQueueAsync(Guid subscriptionId, CancellationToken cancellationToken)
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
        // A queue is what a failure left behind: it is retried one delivery at a time, in strict order.
        var outcome = await SendInOrderAsync(subscription, queue, lanes: null, cancellationToken);
        if (outcome.Attempted == 0)
        {
            return 0;
        }

        await using (var transaction = await db.BeginWriteAsync(CancellationToken.None))
        {
            // Written even when shutting down: these sends happened.
            await db.SaveChangesAsync(CancellationToken.None);
            await RecordHealthAsync(db, subscription, queue, outcome);
            await transaction.CommitAsync(CancellationToken.None);
        }

        await DisableIfFailingAsync(subscription, queue, outcome, cancellationToken);
        return outcome.Attempted;
    }

    /// <summary>
    /// Sends the deliveries in order and records each attempt on it, until one stays pending (failed, to be retried)
    /// or is not due yet: nothing after it is started. With <paramref name="lanes"/> (each delivery's record, its
    /// event subject) up to Webhooks:InFlight are on their way at once, but a record's deliveries go one after
    /// another; without, one at a time. Stops early, without an error, when the server shuts down.
    /// </summary>
    private async Task<SendOutcome> SendInOrderAsync(
        WebhookSubscription subscription, IReadOnlyList<WebhookDelivery> deliveries, IReadOnlyList<string>? lanes, CancellationToken cancellationToken)
    {
        var secrets = new List<string> { subscription.Secret };
        if (subscription.PreviousSecret is { } previous && subscription.PreviousSecretExpiresAt > clock.UtcNow())
        {
            secrets.Add(previous);
        }

        var window = lanes is null ? 1 : Math.Max(1, Settings.InFlight);
        var attempts = new WebhookAttempt?[deliveries.Count];
        var stopped = false;
        var gate = new Lock();

        async Task SendOneAsync(int index)
        {
            var delivery = deliveries[index];
            WebhookAttempt attempt;
            try
            {
                attempt = await sender.SendAsync(subscription.Url, delivery, secrets, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // Unanswered: sent again after the restart.
            }

            lock (gate)
            {
                Record(delivery, attempt, clock.UtcNow());
                attempts[index] = attempt;
                stopped |= delivery.Status == WebhookDeliveryStatus.Pending;
            }
        }

        var inFlight = new List<Task>(window);
        var laneTails = new Dictionary<string, Task>(StringComparer.Ordinal);
        for (var i = 0; i < deliveries.Count; i++)
        {
            var lane = lanes?[i] ?? "";
            if (laneTails.TryGetValue(lane, out var ahead))
            {
                await ahead;
            }

            while (inFlight.Count >= window)
            {
                inFlight.Remove(await Task.WhenAny(inFlight));
            }

            lock (gate)
            {
                if (stopped || cancellationToken.IsCancellationRequested || deliveries[i].NextAttemptAt > clock.UtcNow())
                {
                    break; // The first failure (or a head waiting for its retry) holds what follows.
                }
            }

            var sending = SendOneAsync(i);
            inFlight.Add(sending);
            laneTails[lane] = sending;
        }

        await Task.WhenAll(inFlight);
        var made = attempts.Where(a => a is not null).Select(a => a!).ToList();
        return made.Count == 0 ? new SendOutcome(0, null, null) : new SendOutcome(made.Count, made[^1].Succeeded, made[^1].Error);
    }

    /// <summary>Marks the subscription failing since its oldest unanswered attempt, or healthy again, in the caller's transaction.</summary>
    private static async Task RecordHealthAsync(AidaDb db, WebhookSubscription subscription, IReadOnlyList<WebhookDelivery> deliveries, SendOutcome outcome)
    {
        if (outcome.Attempted == 0)
        {
            return;
        }

        var subscriptions = db.Set<WebhookSubscription>().IgnoreQueryFilters();
        if (outcome.LastSucceeded == true)
        {
            await subscriptions.Where(s => s.Id == subscription.Id && s.FailingSince != null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.FailingSince, (DateTime?)null), CancellationToken.None);
        }
        else
        {
            await subscriptions.Where(s => s.Id == subscription.Id && s.FailingSince == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.FailingSince, FailingSince(subscription, deliveries)), CancellationToken.None);
        }
    }

    private async Task DisableIfFailingAsync(WebhookSubscription subscription, IReadOnlyList<WebhookDelivery> deliveries, SendOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome is { Attempted: > 0, LastSucceeded: false } && FailingSince(subscription, deliveries) is { } since
            && clock.UtcNow() - since >= Settings.DisableAfter)
        {
            await DisableAsync(subscription.Id,
                $"Every delivery failed for {Describe(Settings.DisableAfter)}; the last: {outcome.LastError}", notify: true, cancellationToken);
        }
    }

    private static DateTime? FailingSince(WebhookSubscription subscription, IReadOnlyList<WebhookDelivery> deliveries) =>
        subscription.FailingSince ?? deliveries.Where(d => d.FirstAttemptAt is not null).Min(d => d.FirstAttemptAt);

    /// <summary>A batch read from the feed: its deliveries in feed order (not yet numbered), their events' subjects, the cursor after it, and whether the feed has more.</summary>
    private sealed record FeedBatch(List<WebhookDelivery> Deliveries, List<string> Subjects, string Cursor, bool More);

    /// <summary>How many deliveries were attempted, and how the last attempt went.</summary>
    private readonly record struct SendOutcome(int Attempted, bool? LastSucceeded, string? LastError);

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
