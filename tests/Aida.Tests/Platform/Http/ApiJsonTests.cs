using System.Text.Json;
using Aida.Platform.Http;

namespace Aida.Tests.Platform.Http;

/// <summary>The API's JSON contract for times: UTC with an offset or Z, never a guess.</summary>
public sealed class ApiJsonTests
{
    [Theory]
    [InlineData("\"2026-01-31T09:30:00\"")]
    [InlineData("\"2026-01-31T09:30:00.123456\"")]
    [InlineData("\"2026-01-31\"")]
    public void Read_DateTimeWithoutOffset_IsRejected(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DateTime>(json, ApiJson.Options));

        Assert.Contains("offset", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"2026-01-31T09:30:00Z\"")]
    [InlineData("\"2026-01-31T11:30:00+02:00\"")]
    [InlineData("\"2026-01-31T04:30:00-05:00\"")]
    public void Read_DateTimeWithOffset_IsConvertedToUtc(string json)
    {
        var value = JsonSerializer.Deserialize<DateTime>(json, ApiJson.Options);

        Assert.Equal(new DateTime(2026, 1, 31, 9, 30, 0, DateTimeKind.Utc), value);
        Assert.Equal(DateTimeKind.Utc, value.Kind);
    }
}
