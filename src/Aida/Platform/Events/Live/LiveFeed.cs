using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Aida.Platform.Events.Live;

/// <summary>
/// This node's one watch on the end of the event feed, shared by every open stream. Streams cannot share
/// their reads — each reads the feed as its own caller, under that caller's record-level filters — so
/// what they share is the question "has anything new been committed?": one indexed one-row query
/// (<see cref="DatabaseDialect.ReadFeedEndAsync"/>) per poll interval per node, asked only while someone
/// listens, and at once when this process commits events (it is an <see cref="IEventsCommittedListener"/>). When the end moves,
/// every waiting stream wakes and reads what is new for its caller; an idle stream costs no queries.
/// No loop of its own: the streams' waits drive the polls, so with no stream open nothing runs.
/// </summary>
public sealed partial class LiveFeed : IEventsCommittedListener
{
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<LiveFeed> _logger;
    private readonly TimeSpan _poll;
    private readonly Lock _gate = new();
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FeedPosition? _end;
    private long _version;
    private long _checkedAt;
    private Task? _checking;
    private bool _checkAgain;
    private int _listeners;

    public LiveFeed(IServiceScopeFactory scopes, IOptions<LiveOptions> options, ILogger<LiveFeed> logger)
    {
        _scopes = scopes;
        _logger = logger;
        _poll = options.Value.Poll;
    }

    /// <summary>Changes whenever the feed's end has moved; a stream notes it before it reads and waits for it to change.</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>Streams waiting now (for tests and the curious).</summary>
    public int Listeners => Volatile.Read(ref _listeners);

    /// <summary>
    /// Waits until the feed has moved since <paramref name="seen"/> (a <see cref="Version"/>), polling the
    /// database at most once per interval for all waiters together. False when <paramref name="timeout"/>
    /// passed first (the stream then sends its heartbeat).
    /// </summary>
    public async Task<bool> WaitAsync(long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _listeners);
        try
        {
            while (true)
            {
                Task advanced;
                Task? checking;
                TimeSpan untilPoll;
                lock (_gate)
                {
                    if (_version != seen)
                    {
                        return true;
                    }

                    advanced = _advanced.Task;
                    var sinceCheck = Stopwatch.GetElapsedTime(_checkedAt);
                    if (_checking is null && (_checkedAt == 0 || sinceCheck >= _poll))
                    {
                        StartCheck();
                    }

                    checking = _checking;
                    untilPoll = _poll - sinceCheck;
                }

                var remaining = timeout - Stopwatch.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    return false;
                }

                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(checking is null && untilPoll < remaining ? untilPoll : remaining, stop.Token);
                await Task.WhenAny(advanced, checking ?? delay, delay);
                await stop.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _listeners);
        }
    }

    /// <summary>This process committed events: look now, if anyone is listening (else the next wait looks anyway).</summary>
    private void Nudge()
    {
        if (Volatile.Read(ref _listeners) == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_checking is null)
            {
                StartCheck();
            }
            else
            {
                // The check under way may have read the end before this commit: look once more after it.
                _checkAgain = true;
            }
        }
    }

    /// <summary>Under <see cref="_gate"/>.</summary>
    private void StartCheck()
    {
        _checkAgain = false;
        _checking = Task.Run(CheckAsync);
    }

    private async Task CheckAsync()
    {
        try
        {
            // A scope of its own: the system actor, whom no record filter narrows, so the end is everyone's.
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            var end = await db.Dialect.ReadFeedEndAsync(db, CancellationToken.None);
            lock (_gate)
            {
                if (_end != end)
                {
                    _end = end;
                    _version++;
                    var advanced = _advanced;
                    _advanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    advanced.TrySetResult();
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The database is away: the streams stay open, and the next poll tries again.
            LogCheckFailed(_logger, e);
        }
        finally
        {
            lock (_gate)
            {
                _checkedAt = Stopwatch.GetTimestamp();
                _checking = null;
                if (_checkAgain)
                {
                    StartCheck();
                }
            }
        }
    }

    public void EventsCommitted() => Nudge();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the end of the event feed for the live streams; trying again at the next poll")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
