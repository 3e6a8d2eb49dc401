namespace Aida.Platform.Http;

/// <summary>
/// A record's version travels as a strong ETag (<c>"3"</c>). PATCH and DELETE honour <c>If-Match</c>:
/// absent means "last write wins", <c>*</c> means "any current version", a list of tags must contain
/// the current one or the change is refused with 412.
/// </summary>
public readonly record struct IfMatch(bool IsPresent, bool IsValid, bool MatchesAny, IReadOnlyList<int> Versions)
{
    public static readonly IfMatch Absent = new(false, true, true, []);

    public bool Allows(int currentVersion) => !IsPresent || MatchesAny || Versions.Contains(currentVersion);

    public static IfMatch Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return Absent;
        }

        if (header.Trim() == "*")
        {
            return new IfMatch(true, true, true, []);
        }

        var versions = new List<int>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // Weak tags never match under If-Match (RFC 9110 §13.1.1 uses strong comparison).
            if (part.StartsWith("W/", StringComparison.Ordinal))
            {
                continue;
            }

            if (part.Length < 3 || part[0] != '"' || part[^1] != '"'
                || !int.TryParse(part.AsSpan(1, part.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return new IfMatch(true, false, false, []);
            }

            versions.Add(version);
        }

        return new IfMatch(true, true, false, versions);
    }
}

public static class ETags
{
    public static string For(int version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    public static void Set(HttpResponse response, int version) => response.Headers.ETag = For(version);
}
