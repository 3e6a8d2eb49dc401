using Aida.Features.Scoring;

namespace Aida.Tests.Features.Scoring;

/// <summary>The formulas alone (no database): spec 002's grade thresholds and the factor normalisation.</summary>
public sealed class ScoreFormulasTests
{
    [Theory]
    [InlineData(100, "A")]
    [InlineData(80, "A")]
    [InlineData(79, "B")]
    [InlineData(60, "B")]
    [InlineData(59, "C")]
    [InlineData(40, "C")]
    [InlineData(39, "D")]
    [InlineData(20, "D")]
    [InlineData(19, "F")]
    [InlineData(0, "F")]
    public void Grade_AtTheBoundaries_FollowsSpec002(int score, string grade) => Assert.Equal(grade, ScoreFormulas.Grade(score));

    [Fact]
    public void Normalise_MapsEachFactorOntoZeroToHundred()
    {
        var now = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        var facts = new CustomerFacts(Guid.NewGuid(), now.AddDays(-45), 6, 1, 1, 2, 2, DateOnly.FromDateTime(now).AddDays(-73), 5, 1000m, 3, 1);

        var raw = ScoreFormulas.Normalise(facts, now);

        Assert.Equal(50, raw[ScoreFormulas.InteractionRecency], 3);   // halfway to 90 days
        Assert.Equal(50, raw[ScoreFormulas.InteractionFrequency], 3); // 6 of 12
        Assert.Equal(37.5, raw[ScoreFormulas.Sentiment], 3);          // (100 + 50 + 0 + 0) / 4
        Assert.Equal(50, raw[ScoreFormulas.OverdueActivities], 3);    // 100 − 2 × 25
        Assert.Equal(80, raw[ScoreFormulas.PurchaseRecency], 3);      // 73 of 365 days
        Assert.Equal(50, raw[ScoreFormulas.PurchaseFrequency], 3);    // 5 of 10
        Assert.Equal(60, raw[ScoreFormulas.PurchaseMonetary], 0.1);   // log scale: 1,000 of 100,000
        Assert.Equal(75, raw[ScoreFormulas.DealWinRate], 3);          // 3 won of 4 closed
    }
}
