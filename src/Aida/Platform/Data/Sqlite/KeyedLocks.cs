namespace Aida.Platform.Data.Sqlite;

/// <summary>
/// In-process locks on string keys: holders of one key wait for each other, holders of different keys
/// do not. One node is all SQLite has, so this serialises a check-then-write as PostgreSQL's advisory
/// locks do, without the write gate: the check runs while other writers commit. A key's semaphore lives
/// only while someone holds or awaits it, so the set stays as small as the number of creates in flight.
/// </summary>
public sealed class KeyedLocks
{
    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>The holder and the waiters; guarded by the dictionary's lock.</summary>
        public int Users { get; set; }
    }

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>
    /// Holds every one of <paramref name="keys"/> until the result is disposed. They are taken in ordinal
    /// order whatever order they come in, so two callers never each hold a key the other waits for.
    /// </summary>
    public async Task<IDisposable> EnterAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var held = new Held(this);
        try
        {
            foreach (var key in keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var entry = Join(key);
                try
                {
                    await entry.Semaphore.WaitAsync(cancellationToken);
                }
                catch
                {
                    Leave(key, entry);
                    throw;
                }

                held.Add(key, entry);
            }

            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    private Entry Join(string key)
    {
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                _entries[key] = entry = new Entry();
            }

            entry.Users++;
            return entry;
        }
    }

    private void Leave(string key, Entry entry)
    {
        lock (_entries)
        {
            if (--entry.Users == 0)
            {
                // Nobody holds or awaits it any more: no one can be inside its semaphore.
                _entries.Remove(key);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Held(KeyedLocks locks) : IDisposable
    {
        private readonly List<(string Key, Entry Entry)> _held = [];

        public void Add(string key, Entry entry) => _held.Add((key, entry));

        public void Dispose()
        {
            // Release before leaving: a waiter counted in Users keeps the semaphore alive until it has it.
            for (var i = _held.Count - 1; i >= 0; i--)
            {
                var (key, entry) = _held[i];
                entry.Semaphore.Release();
                locks.Leave(key, entry);
            }

            _held.Clear();
        }
    }
}
