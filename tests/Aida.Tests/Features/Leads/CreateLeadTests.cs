using System.Net;
using Aida.Features.Leads;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Leads;

public sealed class CreateLeadTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_StoresEveryField_AndPublishesLeadCaptured(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await app.QueryAsync(d => d.Set<Lead>().CountAsync());
        var since = await app.LastEventSeqAsync();

        var response = await app.Client.PostJsonAsync("/api/v1/leads", new
        {
            firstName = "Rosa",
            lastName = "Diaz",
            email = "Rosa.Diaz@Example.com",
            phone = "+44 20 7946 0958",
            company = "Diaz Repairs",
            jobTitle = "Owner",
            country = "gb",
            sourceType = "referral",
            sourceDetail = "Met at the trade fair",
            utm = new { source = "newsletter", medium = "email", campaign = "autumn" },
            landingPage = "https://example.com/pricing",
            needs = "Three laptops with broken screens",
            budgetAmount = 1500.50m,
            budgetCurrency = "gbp",
            authority = "decision_maker",
            need = "high",
            timeline = "this_month",
            urgency = "urgent",
        });
        var lead = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal($"/api/v1/leads/{lead.Id()}", response.Headers.Location?.ToString());
        Assert.Equal("Rosa Diaz", lead.Str("displayName"));
        Assert.Equal("GB", lead.Str("country"));
        Assert.Equal("GBP", lead.Str("budgetCurrency"));
        Assert.Equal(1500.50m, lead.GetProperty("budgetAmount").GetDecimal());
        Assert.Equal("decision_maker", lead.Str("authority"));
        Assert.Equal("this_month", lead.Str("timeline"));
        Assert.Equal("autumn", lead.GetProperty("utm").Str("campaign"));
        Assert.Equal("active", lead.Str("status"));
        Assert.Equal("unqualified", lead.Str("qualificationStatus"));
        Assert.Equal(1, lead.GetProperty("captureCount").GetInt32());

        var fetched = await (await app.Client.GetAsync($"/api/v1/leads/{lead.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Rosa.Diaz@Example.com", fetched.Str("email"));
        Assert.Equal("Three laptops with broken screens", fetched.Str("needs"));
        Assert.Equal(leadsBefore + 1, await app.QueryAsync(d => d.Set<Lead>().CountAsync()));
        var stored = await app.QueryAsync(d => d.Set<Lead>().SingleAsync(l => l.Id == lead.Id()));
        Assert.Equal("rosa.diaz@example.com", stored.EmailNormalized);
        var captured = await app.QueryAsync(d => d.Set<OutboxEvent>().Where(e => e.Type == "lead.captured" && e.Seq > since).ToListAsync());
        Assert.Equal($"leads/{lead.Id()}", Assert.Single(captured).Subject);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_BadFields_AreNamed_AndNothingIsStored(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await app.QueryAsync(d => d.Set<Lead>().IgnoreQueryFilters().CountAsync());

        var problem = await (await app.Client.PostJsonAsync("/api/v1/leads", new
        {
            firstName = "Ann",
            email = "not-an-address",
            country = "Atlantis",
            budgetAmount = -5,
            budgetCurrency = "XYZ",
            landingPage = "javascript:alert(1)",
        })).ExpectProblemAsync(HttpStatusCode.BadRequest);

        foreach (var field in new[] { "email", "country", "budgetAmount", "budgetCurrency", "landingPage" })
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), field);
        }

        var noContact = await (await app.Client.PostJsonAsync("/api/v1/leads", new { firstName = "Ann" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noContact.GetProperty("errors").TryGetProperty("email", out _));
        Assert.Equal(leadsBefore, await app.QueryAsync(d => d.Set<Lead>().IgnoreQueryFilters().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Pipelines_DefaultPipeline_HasTheSpecStagesInOrder(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        var pipelines = await (await app.Client.GetAsync("/api/v1/pipelines")).ExpectAsync(HttpStatusCode.OK);
        var sales = pipelines.GetProperty("items")[0];

        Assert.True(sales.GetProperty("isDefault").GetBoolean());
        Assert.Equal(
            ["initial_contact", "qualified", "proposal", "negotiation", "closed_won", "closed_lost"],
            sales.GetProperty("stages").EnumerateArray().Select(s => s.Str("code")).ToArray());
        Assert.Equal([10, 25, 50, 75, 100, 0], sales.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("probability").GetInt32()).ToArray());
    }
}
