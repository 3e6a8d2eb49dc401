using Aida.Features.Customers.Accounts;

namespace Aida.Tests.Features.Customers;

public sealed class TaxIdsTests
{
    [Theory]
    [InlineData("12-3456789", "US")]
    [InlineData("123456789", "US")]
    [InlineData("GB123456789", "GB")]
    [InlineData("GB123456789012", null)]
    [InlineData("DE123456789", null)]
    [InlineData("de 123 456 789", null)]
    [InlineData("12/345/67890", "DE")]
    [InlineData("2181508150", "DE")]
    [InlineData("FR12345678901", "FR")]
    [InlineData("NL123456789B01", null)]
    [InlineData("ATU12345678", null)]
    [InlineData("EL123456789", null)]
    [InlineData("CHE-123.456.789 MWST", null)]
    [InlineData("123456789MVA", "NO")]
    [InlineData("123456789RT0001", "CA")]
    [InlineData("27AAPFU0939F1ZV", "IN")]
    [InlineData("12.345.678/0001-95", "BR")]
    public void Check_ValidForCountry_ReturnsNull(string taxId, string? country) =>
        Assert.Null(TaxIds.Check(taxId, country));

    [Theory]
    [InlineData("123", "US")]
    [InlineData("1234-56789", "US")]
    [InlineData("12-34567890", "US")]
    [InlineData("DE12", null)]
    [InlineData("12/34", "DE")]
    [InlineData("DE1234567890", null)]
    [InlineData("FR1234", "FR")]
    [InlineData("NL123456789A01", null)]
    [InlineData("GB12345", null)]
    [InlineData("CHE-123.456", null)]
    [InlineData("27AAPFU0939F1ZV", "BR")]
    public void Check_InvalidForCountry_ReturnsMessage(string taxId, string? country) =>
        Assert.NotNull(TaxIds.Check(taxId, country));

    [Theory]
    [InlineData("US")]
    [InlineData("JP")]
    [InlineData(null)]
    public void Check_PrefixedVat_CheckedByPrefixWhateverTheCustomerCountry(string? country)
    {
        Assert.Null(TaxIds.Check("DE123456789", country));
        Assert.NotNull(TaxIds.Check("DE12345678", country));
    }

    [Fact]
    public void Check_InvalidForCountry_MessageNamesCountryAndExample()
    {
        var message = TaxIds.Check("123", "US");

        Assert.NotNull(message);
        Assert.Contains("US", message, StringComparison.Ordinal);
        Assert.Contains("12-3456789", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("51 824 753 556")]
    [InlineData("51824753556")]
    [InlineData("53 004 085 616")]
    public void Check_AustralianAbnWithValidChecksum_ReturnsNull(string abn) =>
        Assert.Null(TaxIds.Check(abn, "AU"));

    [Theory]
    [InlineData("51 824 753 557")]
    [InlineData("61 824 753 556")]
    [InlineData("51 824 735 556")]
    [InlineData("51 824 753 55")]
    public void Check_AustralianAbnWithBrokenChecksumOrLength_ReturnsMessage(string abn) =>
        Assert.NotNull(TaxIds.Check(abn, "AU"));

    [Theory]
    [InlineData("AB-1234/X", "JP")]
    [InlineData("1234", null)]
    [InlineData("X1.2", "ZA")]
    public void Check_CountryWithoutRule_AcceptsPlausibleId(string taxId, string? country) =>
        Assert.Null(TaxIds.Check(taxId, country));

    [Theory]
    [InlineData("123", "JP")]
    [InlineData("-1234", null)]
    [InlineData("1234-", null)]
    [InlineData("12#34", null)]
    [InlineData("ÄB1234", null)]
    public void Check_CountryWithoutRule_RejectsImplausibleId(string taxId, string? country) =>
        Assert.NotNull(TaxIds.Check(taxId, country));
}
