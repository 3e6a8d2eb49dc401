using Aida.Features.Customers;
using Aida.Features.Customers.Duplicates;

namespace Aida.Tests.Features.Customers;

public sealed class MatchingTests
{
    [Theory]
    [InlineData("Ann.Lee+newsletter@Example.COM", "ann.lee@example.com")]
    [InlineData("  a.n.n.lee@googlemail.com ", "annlee@gmail.com")]
    [InlineData("ann.lee@gmail.com", "annlee@gmail.com")]
    public void NormalizeEmail_VariantsOfOneMailbox_Agree(string input, string expected) =>
        Assert.Equal(expected, Matching.NormalizeEmail(input));

    [Theory]
    [InlineData("+1 (555) 010-9999", "5550109999")]
    [InlineData("555.010.9999", "5550109999")]
    [InlineData("001 555 010 9999", "5550109999")]
    [InlineData("555-010-9999 x123", "5550109999")]
    [InlineData("12 34", null)]
    public void PhoneKey_FormatsOfOneNumber_Agree(string input, string? expected) =>
        Assert.Equal(expected, Matching.PhoneKey(input));

    [Theory]
    [InlineData("Acme Corp.", "acme")]
    [InlineData("ACME Corporation", "acme")]
    [InlineData("The Acme Company, Inc.", "acme")]
    [InlineData("Smith, John", "john smith")]
    [InlineData("Zoë Müller-Straße", "muller strasse zoe")]
    public void NameKey_LegalFormsCaseAccentsAndOrder_Ignored(string input, string expected) =>
        Assert.Equal(expected, Matching.NameKey(input));

    [Fact]
    public void Phonetic_SimilarSoundingNames_Agree() =>
        Assert.Equal(Matching.Phonetic(Matching.NameKey("Jon Smyth")), Matching.Phonetic(Matching.NameKey("John Smith")));

    [Theory]
    [InlineData("jane.doe@gmail.com", null)]
    [InlineData("jane.doe@Globex.example", "globex.example")]
    public void CompanyDomain_FreeMailSaysNothingAboutACompany(string email, string? expected) =>
        Assert.Equal(expected, Matching.CompanyDomain(email));

    [Theory]
    [InlineData("https://www.Example.com/about", "example.com")]
    [InlineData("example.org", "example.org")]
    public void WebsiteDomain_StripsSchemeWwwAndPath(string website, string expected) =>
        Assert.Equal(expected, Matching.WebsiteDomain(website));

    [Theory]
    [InlineData("martha", "marhta", 0.961)]
    [InlineData("dwayne", "duane", 0.84)]
    [InlineData("abc", "xyz", 0.0)]
    public void JaroWinkler_KnownPairs_MatchPublishedValues(string a, string b, double expected) =>
        Assert.Equal(expected, JaroWinkler.Similarity(a, b), 2);
}

public sealed class DuplicateScoreTests
{
    private static MatchKeys Keys(CustomerType type, string name, string[]? emails = null, string[]? phones = null, string[]? domains = null)
    {
        var key = Matching.NameKey(name);
        return new MatchKeys(type, key, Matching.Phonetic(key), emails ?? [], phones ?? [], domains ?? []);
    }

    [Fact]
    public void Compute_SameEmailAlone_PassesDefaultThreshold()
    {
        var result = DuplicateScore.Compute(
            Keys(CustomerType.Individual, "Ann Lee", emails: ["ann@x.example"]),
            Keys(CustomerType.Individual, "Annie Leigh-Smith", emails: ["ann@x.example"]));

        Assert.True(result.Score > 0.8, $"score {result.Score}");
        Assert.Contains("email", result.Reasons);
    }

    [Fact]
    public void Compute_SamePhoneAlone_PassesDefaultThreshold()
    {
        var result = DuplicateScore.Compute(
            Keys(CustomerType.Individual, "Bob Stone", phones: ["5550109999"]),
            Keys(CustomerType.Individual, "Robert Stone", phones: ["5550109999"]));

        Assert.True(result.Score > 0.8, $"score {result.Score}");
    }

    [Fact]
    public void Compute_SameNameAlone_StaysBelowThreshold()
    {
        var result = DuplicateScore.Compute(Keys(CustomerType.Individual, "John Smith"), Keys(CustomerType.Individual, "John Smith"));

        Assert.True(result.Score is > 0.5 and <= 0.8, $"score {result.Score}");
        Assert.Equal(["name"], result.Reasons);
    }

    [Fact]
    public void Compute_SameOrganizationNameAndDomain_PassesThreshold()
    {
        var result = DuplicateScore.Compute(
            Keys(CustomerType.Organization, "Acme Corp", domains: ["acme.example"]),
            Keys(CustomerType.Organization, "ACME Corporation", domains: ["acme.example"]));

        Assert.True(result.Score > 0.8, $"score {result.Score}");
        Assert.Equal(["name", "domain"], result.Reasons);
    }

    [Fact]
    public void Compute_PeopleSharingOnlyAnEmployer_AreNotDuplicates()
    {
        var result = DuplicateScore.Compute(
            Keys(CustomerType.Individual, "Ann Lee", domains: ["acme.example"]),
            Keys(CustomerType.Individual, "Carl Nguyen", domains: ["acme.example"]));

        Assert.True(result.Score < 0.5, $"score {result.Score}");
    }

    [Fact]
    public void Compute_NothingInCommon_ScoresZero() =>
        Assert.Equal(0, DuplicateScore.Compute(Keys(CustomerType.Individual, "Ann Lee"), Keys(CustomerType.Individual, "Carl Nguyen")).Score);
}

/// <summary>The keys concurrent creates are serialised on (<see cref="DuplicateDetector.IdentityKeys(DuplicateProbe)"/>).</summary>
public sealed class IdentityKeysTests
{
    private const double DefaultThreshold = 0.8;

    private static DuplicateProbe Probe(CustomerType type, string name, string? email = null, string? phone = null, string? website = null) =>
        new(type, name, [email], [phone], [website]);

    public static TheoryData<DuplicateProbe, DuplicateProbe> BlockingPairs => new()
    {
        { Probe(CustomerType.Individual, "Ann Lee", email: "ann.lee@example.com"), Probe(CustomerType.Individual, "Annie Leigh", email: "Ann.Lee+crm@Example.com") },
        { Probe(CustomerType.Individual, "Bob Stone", phone: "+1 (555) 010-4242"), Probe(CustomerType.Individual, "Robert Stone", phone: "555.010.4242") },
        { Probe(CustomerType.Organization, "Initech Corp", website: "https://www.initech.example"), Probe(CustomerType.Organization, "INITECH Inc.", website: "initech.example/contact") },
        { Probe(CustomerType.Organization, "Initech", website: "initech.example"), Probe(CustomerType.Organization, "The Initech Company", email: "sales@initech.example") },
    };

    [Theory, MemberData(nameof(BlockingPairs))]
    public void IdentityKeys_OfCreatesThatBlockEachOther_Overlap(DuplicateProbe a, DuplicateProbe b)
    {
        var score = DuplicateScore.Compute(DuplicateDetector.KeysOf(a), DuplicateDetector.KeysOf(b)).Score;
        Assert.True(score > DefaultThreshold, $"score {score}: not a blocking pair");

        Assert.NotEmpty(DuplicateDetector.IdentityKeys(a, DefaultThreshold).Intersect(DuplicateDetector.IdentityKeys(b, DefaultThreshold)));
    }

    [Fact]
    public void IdentityKeys_PeopleAtOneEmployer_ShareNone()
    {
        var ann = DuplicateDetector.IdentityKeys(Probe(CustomerType.Individual, "Ann Lee", email: "ann@acme.example"), DefaultThreshold);
        var carl = DuplicateDetector.IdentityKeys(Probe(CustomerType.Individual, "Carl Nguyen", email: "carl@acme.example"), DefaultThreshold);

        Assert.Empty(ann.Intersect(carl));
    }

    [Fact]
    public void IdentityKeys_OfTwoPeopleWithOneName_AreSharedOnlyWhereTheNameAloneWouldBlock()
    {
        var first = Probe(CustomerType.Individual, "John Smith", email: "john@one.example");
        var second = Probe(CustomerType.Individual, "John Smith", email: "jsmith@two.example");

        // At the default threshold a name alone never blocks, so creates of common names run side by side.
        Assert.True(DuplicateScore.Compute(DuplicateDetector.KeysOf(first), DuplicateDetector.KeysOf(second)).Score <= DefaultThreshold);
        Assert.Empty(DuplicateDetector.IdentityKeys(first, DefaultThreshold).Intersect(DuplicateDetector.IdentityKeys(second, DefaultThreshold)));
        Assert.NotEmpty(DuplicateDetector.IdentityKeys(first, 0.4).Intersect(DuplicateDetector.IdentityKeys(second, 0.4)));
    }

    [Fact]
    public void IdentityKeys_WhereTheSameNameAtOneEmployerWouldBlock_IncludeTheDomain()
    {
        var probe = Probe(CustomerType.Individual, "Ann Lee", email: "ann@acme.example");

        Assert.DoesNotContain("domain:acme.example", DuplicateDetector.IdentityKeys(probe, DefaultThreshold));
        Assert.Contains("domain:acme.example", DuplicateDetector.IdentityKeys(probe, 0.7));
    }
}
