namespace Aida.Platform;

public static class Time
{
    /// <summary>
    /// Now in UTC, cut to whole microseconds: PostgreSQL keeps microseconds, so a value that went
    /// to the database and back compares equal to the one we hold (ETags, cursors, audit diffs).
    /// </summary>
    public static DateTime UtcNow(this TimeProvider clock) => Truncate(clock.GetUtcNow().UtcDateTime);

    public static DateTime Truncate(DateTime value) =>
        new(value.Ticks - (value.Ticks % 10), DateTimeKind.Utc);
}
