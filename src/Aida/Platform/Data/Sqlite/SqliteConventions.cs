using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Aida.Platform.Data.Sqlite;

/// <summary>
/// SQLite has no uuid type: uuids are lower-case text, which sorts like PostgreSQL's uuid, so UUIDv7
/// keys stay in time order.
/// </summary>
public sealed class GuidAsText() : ValueConverter<Guid, string>(
    v => v.ToString("D"),
    v => Guid.Parse(v));

/// <summary>SQLite has no timestamp type: times are UTC microseconds since the Unix epoch.</summary>
public sealed class UtcMicroseconds() : ValueConverter<DateTime, long>(
    v => (v.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / 10,
    v => new DateTime(DateTime.UnixEpoch.Ticks + (v * 10), DateTimeKind.Utc));
