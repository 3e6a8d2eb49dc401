using System.Buffers.Text;

namespace Aida.Platform.Http;

/// <summary>One page of a list: <c>nextCursor</c> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static int Limit(int? requested, ValidationErrors errors)
    {
        if (requested is null)
        {
            return DefaultLimit;
        }

        if (requested < 1 || requested > MaxLimit)
        {
            errors.Add("limit", $"Must be between 1 and {MaxLimit}.");
            return DefaultLimit;
        }

        return requested.Value;
    }

    /// <summary>
    /// A keyset cursor: the sort it was made for and the sort key of the last row seen. Opaque to
    /// clients (base64url JSON) and refused when replayed against a different sort. The predicates that
    /// consume a cursor are written <c>key &gt;= last AND (key &gt; last OR tie-breaker)</c>: the redundant
    /// leading bound is what lets PostgreSQL read an index range instead of the whole index.
    /// </summary>
    public static string EncodeCursor(string sort, params string?[] keys)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new CursorBody(sort, keys));
        return Base64Url.EncodeToString(json);
    }

    public static string?[]? DecodeCursor(string? cursor, string sort, int keyCount, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            var body = JsonSerializer.Deserialize<CursorBody>(Base64Url.DecodeFromChars(cursor));
            if (body is not null && body.S == sort && body.K.Length == keyCount)
            {
                return body.K;
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            // Falls through to the validation error below.
        }

        errors.Add("cursor", "Is not a cursor returned by this list with the same sort; start again without it.");
        return null;
    }

    /// <summary>A cursor after the row with this time and id: the keyset of lists ordered by a time, ties broken by id.</summary>
    public static string EncodeTimeCursor(string sort, DateTime time, Guid id) =>
        EncodeCursor(sort, time.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture), id.ToString());

    public static (DateTime Time, Guid Id)? DecodeTimeCursor(string? cursor, string sort, ValidationErrors errors)
    {
        var keys = DecodeCursor(cursor, sort, 2, errors);
        if (keys is null)
        {
            return null;
        }

        if (long.TryParse(keys[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTime.MaxValue.Ticks && Guid.TryParse(keys[1], out var id))
        {
            return (new DateTime(ticks, DateTimeKind.Utc), id);
        }

        errors.Add("cursor", "Is not a cursor returned by this list; start again without it.");
        return null;
    }

    private sealed record CursorBody(string S, string?[] K);
}
