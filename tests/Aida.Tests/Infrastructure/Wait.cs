namespace Aida.Tests.Infrastructure;

/// <summary>
/// Waiting for a condition instead of for a fixed time: checked at once, then again after a short
/// backoff (5 ms doubling to 100 ms), until it holds or the deadline passes, which fails with
/// <c>what</c> said plainly.
/// </summary>
public static class Wait
{
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(60);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? DefaultPatience);
        var pause = TimeSpan.FromMilliseconds(5);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up after {(patience ?? DefaultPatience).TotalSeconds:0.#} s waiting: {what}.");
            }

            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks));
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? patience = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, patience);

    /// <summary>Reads with <paramref name="read"/> until <paramref name="done"/> holds of what it read, and returns that; the last read when patience runs out.</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? DefaultPatience);
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks));
        }
    }
}
