using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Customers.Pages;

/// <summary>The medium tier on the web form: the customer is created, and the result's notice names the possible duplicate.</summary>
public sealed class MatchingQualityPageTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_AMediumConfidenceMatch_IsCreatedAndTheNoticeNamesTheCandidate(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var last = "Brennan" + Builders.Unique("")[..4];
        await (await repApi.PostJsonAsync("/api/v1/customers", new
        {
            type = "individual",
            displayName = $"Katherine {last}",
            primaryContact = new { firstName = "Katherine", lastName = last },
        })).ExpectAsync(HttpStatusCode.Created);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var form = await browser.OpenAsync("/customers/new");

        var detail = await browser.SubmitAsync(form, "form#customer-form", new()
        {
            ["type"] = "individual",
            ["displayName"] = $"Kate {last}",
            ["primaryContact.firstName"] = "Kate",
            ["primaryContact.lastName"] = last,
        });

        Assert.True(detail.WasRedirected);
        Assert.Equal($"Kate {last}", detail.Text("h1"));
        Assert.Equal($"Kate {last} was created. It may be a duplicate of Katherine {last}: please check.", detail.Flash);
    }
}
