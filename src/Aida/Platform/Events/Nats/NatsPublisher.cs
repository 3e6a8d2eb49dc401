using Aida.Platform.Jobs;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Aida.Platform.Events.Nats;

/// <summary>
/// Copies the outbox to a NATS JetStream stream (issue 19 item 2; spec 000: life-cycle transitions reach
/// their consumers through JetStream). Each run reads the feed in commit order after the saved position,
/// publishes every event to "aida.&lt;type&gt;" with Nats-Msg-Id = the event id, up to 64 at a time, each
/// refused by the stream unless the one before it is stored (so the stream holds them in commit order), and
/// saves the position the acknowledgements reached, in order, after each batch. Whatever stops a run — NATS
/// down, a lost acknowledgement, Aida killed — the next one starts from the saved position again: an event is
/// stored at least once, and a repeat within the stream's duplicate window is dropped by the server, so
/// consumers see each event once, in order.
/// </summary>
public sealed partial class NatsPublisher(
    IServiceScopeFactory scopes, IOptions<NatsOptions> options, TimeProvider clock, ILogger<NatsPublisher> logger)
    : IScheduledJob, IAsyncDisposable
{
    /// <summary>The row in event_publishers.</summary>
    public const string PublisherName = "nats";

    public const string JobName = "events.nats";

    /// <summary>Batches per run before the scheduler is told more is due, so one run never holds the job for long.</summary>
    private const int BatchesPerRun = 20;

    /// <summary>Events sent before the first of them must be acknowledged: round trips overlap, the order is kept (PublishAsync).</summary>
    private const int InFlight = 64;

    /// <summary>How soon to look again when committed events are held back behind a transaction still running.</summary>
    private static readonly TimeSpan HeldBackRetry = TimeSpan.FromMilliseconds(250);

    // One run at a time on this node: the scheduler runs the job on one node, and "run now" or a test may ask while it runs.
    private readonly SemaphoreSlim _running = new(1, 1);
    private NatsConnection? _connection;
    private bool _streamReady;

    public string Name => JobName;

    public string Description => "Publishes every event to the NATS JetStream stream, in commit order, once.";

    public TimeSpan Interval => options.Value.Interval;

    private NatsOptions Settings => options.Value;

    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken)
    {
        if (!Settings.Enabled)
        {
            return JobOutcome.Nothing;
        }

        await _running.WaitAsync(cancellationToken);
        try
        {
            var published = 0;
            for (var batch = 0; batch < BatchesPerRun; batch++)
            {
                var (count, full) = await PublishBatchAsync(cancellationToken);
                published += count;
                if (!full)
                {
                    // Woken by a commit whose events the feed does not serve yet: look again soon, not after the interval.
                    return new JobOutcome(published, RetryAfter: await FeedHoldsBackAsync(cancellationToken) ? HeldBackRetry : null);
                }
            }

            return new JobOutcome(published, MoreDue: true);
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task<bool> FeedHoldsBackAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        return await db.Dialect.FeedHoldsBackAsync(db, cancellationToken);
    }

    /// <summary>One batch: read after the saved position, publish (InFlight at a time), take the acknowledgements in order, save the position.</summary>
    private async Task<(int Count, bool Full)> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        // The system actor reads every event, sensitive fields included: the stream is the administrator's view of the feed.
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var state = await LoadStateAsync(db, cancellationToken);
        if (!db.Dialect.TryParseFeedPosition(state.Position, out var start))
        {
            throw new InvalidOperationException($"The saved NATS publisher position '{state.Position}' is not a feed cursor of this database.");
        }

        var rows = await db.Dialect.ReadFeedAsync(db, start, Settings.BatchSize, null, cancellationToken);
        if (rows.Count == 0)
        {
            await ClearErrorAsync(db, state, cancellationToken);
            return (0, false);
        }

        var acknowledged = start;
        var count = 0;
        var waiting = new Queue<(NatsJSPublishConcurrentFuture Ack, FeedPosition Position)>();
        // Each step gets its own deadline: while the client reconnects, a request can otherwise wait for the server indefinitely.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            deadline.CancelAfter(Settings.Timeout);
            var js = await ConnectAsync(deadline.Token);
            string? previous = null;
            foreach (var (row, position) in rows)
            {
                deadline.CancelAfter(Settings.Timeout);
                if (waiting.Count == InFlight)
                {
                    acknowledged = await AcknowledgedAsync(waiting.Dequeue(), deadline.Token);
                    count++;
                }

                waiting.Enqueue((await PublishAsync(js, db, row, previous, deadline.Token), position));
                previous = row.Id.ToString();
            }

            while (waiting.Count > 0)
            {
                deadline.CancelAfter(Settings.Timeout);
                acknowledged = await AcknowledgedAsync(waiting.Dequeue(), deadline.Token);
                count++;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // What was acknowledged in order stays published; the rest is sent again from there at the next run.
            _streamReady = false;
            await SaveAsync(db, state.Position, acknowledged, count, Describe(e), CancellationToken.None);
            LogFailed(logger, e.GetType().Name, count);
            throw new NatsPublishException(Describe(e), e);
        }
        finally
        {
            while (waiting.TryDequeue(out var abandoned))
            {
                await abandoned.Ack.DisposeAsync();
            }
        }

        var moved = await SaveAsync(db, state.Position, acknowledged, count, error: null, cancellationToken);
        // Another node moved the position meanwhile (a lease that lapsed under a slow node): it carries on from there.
        return (count, moved && rows.Count == Settings.BatchSize);
    }

    /// <summary>
    /// Sends one event without waiting for its acknowledgement. After the first of a batch, each carries the id of
    /// the event before it as Nats-Expected-Last-Msg-Id, so the stream refuses it unless its predecessor is stored:
    /// with several on their way at once, one lost on the way (a dropped connection) cannot let a later one in
    /// ahead of it. A repeat of an event already stored is acknowledged as a duplicate before that check.
    /// </summary>
    private async Task<NatsJSPublishConcurrentFuture> PublishAsync(INatsJSContext js, AidaDb db, OutboxEvent row, string? previous, CancellationToken cancellationToken)
    {
        var envelope = new EventEnvelope(row.Id, row.Type, row.Subject, row.OccurredAt, row.ActorId, row.RequestId, SensitiveFields.Shown(db, row.Data));
        var body = JsonSerializer.SerializeToUtf8Bytes(envelope, ApiJson.Options);
        var headers = new NatsHeaders { ["Content-Type"] = "application/json" };
        return await js.PublishConcurrentAsync(
            Settings.Subject(row.Type), body,
            opts: new NatsJSPubOpts { MsgId = row.Id.ToString(), ExpectedLastMsgId = previous }, headers: headers, cancellationToken: cancellationToken);
    }

    /// <summary>Waits for one acknowledgement; the position it reaches, or an exception when the stream refused the event.</summary>
    private static async Task<FeedPosition> AcknowledgedAsync((NatsJSPublishConcurrentFuture Ack, FeedPosition Position) sent, CancellationToken cancellationToken)
    {
        await using var future = sent.Ack;
        var ack = await future.GetResponseAsync(cancellationToken);
        // A duplicate is success: the stream already holds this event (an earlier run's acknowledgement was lost).
        if (ack.Error is { } error)
        {
            throw new NatsJSApiException(error);
        }

        return sent.Position;
    }

    /// <summary>The connection (reconnecting by itself once made) and the stream, created or brought to the settings.</summary>
    private async Task<INatsJSContext> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            var connection = new NatsConnection(new NatsOpts
            {
                Url = Settings.Url!,
                Name = "aida",
                ConnectTimeout = Settings.Timeout,
                RequestTimeout = Settings.Timeout,
                CommandTimeout = Settings.Timeout,
                // Back soon after the server is: the next run then finds the connection up.
                ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
                ReconnectWaitMax = TimeSpan.FromSeconds(2),
            });
            try
            {
                await connection.ConnectAsync();
            }
            catch
            {
                // A connection that never connected is not kept: the next run starts afresh.
                await connection.DisposeAsync();
                throw;
            }

            _connection = connection;
        }

        var js = new NatsJSContext(_connection);
        if (!_streamReady)
        {
            await js.CreateOrUpdateStreamAsync(
                new StreamConfig(Settings.Stream, [Settings.SubjectPrefix + ".>"])
                {
                    Storage = StreamConfigStorage.File,
                    Retention = StreamConfigRetention.Limits,
                    MaxAge = Settings.MaxAge,
                    DuplicateWindow = Settings.DuplicateWindow,
                    NumReplicas = Settings.Replicas,
                },
                cancellationToken);
            _streamReady = true;
        }

        return js;
    }

    private async Task<EventPublisher> LoadStateAsync(AidaDb db, CancellationToken cancellationToken)
    {
        var state = await db.Set<EventPublisher>().AsNoTracking().FirstOrDefaultAsync(p => p.Name == PublisherName, cancellationToken);
        if (state is not null)
        {
            return state;
        }

        // The first run starts at the beginning of the outbox: every event there is published.
        var fresh = new EventPublisher { Name = PublisherName, Position = db.Dialect.FormatFeedPosition(default), UpdatedAt = clock.UtcNow() };
        try
        {
            db.Add(fresh);
            await db.SaveChangesAsync(cancellationToken);
            db.Entry(fresh).State = EntityState.Detached;
            return fresh;
        }
        catch (DbUpdateException)
        {
            // Another node made it first.
            db.ChangeTracker.Clear();
            return await db.Set<EventPublisher>().AsNoTracking().FirstAsync(p => p.Name == PublisherName, cancellationToken);
        }
    }

    /// <summary>
    /// Moves the position from <paramref name="from"/> (only if it is still there, so two overlapping runs never
    /// move it back) and records the outcome. False when another run moved it first.
    /// </summary>
    private async Task<bool> SaveAsync(AidaDb db, string from, FeedPosition to, int count, string? error, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var position = db.Dialect.FormatFeedPosition(to);
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var rows = await db.Set<EventPublisher>()
            .Where(p => p.Name == PublisherName && p.Position == from)
            .ExecuteUpdateAsync(
                s => s.SetProperty(p => p.Position, position)
                    .SetProperty(p => p.PublishedCount, p => p.PublishedCount + count)
                    .SetProperty(p => p.PublishedAt, p => count > 0 ? now : p.PublishedAt)
                    .SetProperty(p => p.Error, error)
                    .SetProperty(p => p.ErrorAt, p => error != null ? now : null)
                    .SetProperty(p => p.UpdatedAt, now),
                cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows == 1;
    }

    private async Task ClearErrorAsync(AidaDb db, EventPublisher state, CancellationToken cancellationToken)
    {
        if (state.Error is null)
        {
            return;
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.Set<EventPublisher>().Where(p => p.Name == PublisherName)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Error, (string?)null).SetProperty(p => p.ErrorAt, (DateTime?)null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>What went wrong, for administrators: the kind of failure and the client's message, which names no credentials.</summary>
    private static string Describe(Exception e) => e switch
    {
        NatsJSApiException api => $"JetStream refused: {api.Error.Description} ({api.Error.Code})",
        NatsNoRespondersException => "No JetStream stream answered for the subject (is JetStream enabled on the server?).",
        NatsException or TimeoutException or OperationCanceledException => $"NATS unreachable or not answering: {e.GetType().Name}.",
        _ => $"{e.GetType().Name}.",
    };

    /// <summary>The stream as the server reports it, when this node is connected; null otherwise (the admin screen says so).</summary>
    public async Task<NatsStreamState?> StreamStateAsync(CancellationToken cancellationToken)
    {
        if (_connection is not { ConnectionState: NatsConnectionState.Open } connection)
        {
            return null;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Settings.Timeout);
            var stream = await new NatsJSContext(connection).GetStreamAsync(Settings.Stream, cancellationToken: timeout.Token);
            var state = stream.Info.State;
            return new NatsStreamState(state.Messages, state.FirstSeq, state.LastSeq, stream.Info.Config.MaxAge, stream.Info.Config.DuplicateWindow);
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _running.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing events to NATS failed ({Failure}) after {Published} event(s); retried at the next run")]
    private static partial void LogFailed(ILogger logger, string failure, int published);
}

/// <summary>The stream on the server: how many events it holds, its first and last sequence, and its retention and duplicate window.</summary>
public sealed record NatsStreamState(long Messages, ulong FirstSeq, ulong LastSeq, TimeSpan MaxAge, TimeSpan? DuplicateWindow);

/// <summary>A run of the NATS publisher that stopped; its message is the administrator's explanation.</summary>
public sealed class NatsPublishException(string message, Exception inner) : Exception(message, inner);
