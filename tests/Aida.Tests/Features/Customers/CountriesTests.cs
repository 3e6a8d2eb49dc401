using Aida.Features.Customers.Addresses;

namespace Aida.Tests.Features.Customers;

public sealed class CountriesTests
{
    [Theory]
    [InlineData("DE", "DE")]
    [InlineData("de", "DE")]
    [InlineData("uS", "US")]
    [InlineData(" gb ", "GB")]
    [InlineData("AX", "AX")]
    [InlineData("ZW", "ZW")]
    public void Normalize_AssignedCode_ReturnsUpperCase(string code, string expected) =>
        Assert.Equal(expected, Countries.Normalize(code));

    [Theory]
    [InlineData("XX")]
    [InlineData("DEU")]
    [InlineData("D")]
    [InlineData("UK")]
    [InlineData("EU")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("D E")]
    [InlineData(null)]
    public void Normalize_UnassignedOrMalformed_ReturnsNull(string? code) =>
        Assert.Null(Countries.Normalize(code));
}
