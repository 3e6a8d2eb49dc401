using System.Net;
using System.Text.Json;
using Aida.Features.Customers;
using Aida.Platform.Audit;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Customers;

/// <summary>Duplicate detection on create (Customer AC-2; edge case "duplicate on create").</summary>
public sealed class DuplicatesApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_SameEmail_Returns409WithScoredCandidatesAndStoresNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var existing = await app.Client.CreateIndividualAsync("Ann Lee", email: "ann.lee@example.com");
        var counts = await CountsAsync(app);

        var problem = await (await app.Client.PostJsonAsync("/api/v1/customers", new
        {
            type = "individual",
            displayName = "Annie Lee",
            primaryContact = new { firstName = "Annie", lastName = "Lee", email = "Ann.Lee+crm@Example.com" },
        })).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("urn:aida:problem:possible-duplicate", problem.Str("type"));
        var candidate = Assert.Single(problem.GetProperty("candidates").EnumerateArray());
        Assert.Equal(existing.Id(), candidate.Id());
        Assert.True(candidate.GetProperty("score").GetDouble() > 0.8);
        Assert.Contains("email", candidate.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(counts, await CountsAsync(app));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_AllowDuplicate_CreatesAndAuditRecordsTheOverride(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var existing = await app.Client.CreateIndividualAsync("Ann Lee", email: "ann.lee@example.com");
        var body = new
        {
            type = "individual",
            displayName = "Ann Lee",
            primaryContact = new { firstName = "Ann", lastName = "Lee", email = "ann.lee@example.com" },
        };
        await (await app.Client.PostJsonAsync("/api/v1/customers", body)).ExpectProblemAsync(HttpStatusCode.Conflict);

        var created = await (await app.Client.PostJsonAsync("/api/v1/customers?allowDuplicate=true", body)).ExpectAsync(HttpStatusCode.Created);

        var audit = await (await app.Client.GetAsync($"/api/v1/audit?entityType=customer&entityId={created.Id()}")).ExpectAsync(HttpStatusCode.OK);
        var entry = Assert.Single(audit.Items());
        var context = entry.GetProperty("context");
        Assert.True(context.GetProperty("allowDuplicate").GetBoolean());
        Assert.Equal(existing.Id(), context.GetProperty("duplicateCandidates")[0].Id());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_SamePhoneInAnotherFormat_Returns409(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await app.Client.CreateIndividualAsync("Bob Stone", phone: "+1 (555) 010-4242");

        var problem = await (await app.Client.PostJsonAsync("/api/v1/customers", new
        {
            type = "individual",
            displayName = "Robert Stone",
            primaryContact = new { firstName = "Robert", lastName = "Stone", phone = "555.010.4242" },
        })).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("phone", problem.GetProperty("candidates")[0].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_SameOrganizationNameAndWebsite_Returns409(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await app.Client.CreateOrganizationAsync("Initech Corp", account: new { legalName = "Initech Corp", website = "https://www.initech.example" });

        await (await app.Client.PostJsonAsync("/api/v1/customers", new
        {
            type = "organization",
            displayName = "INITECH Inc.",
            account = new { legalName = "Initech Incorporated", website = "initech.example/contact" },
        })).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_SameNameOnly_IsCreated(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await app.Client.CreateIndividualAsync("John Smith", email: "john.smith@one.example");

        await (await app.Client.PostJsonAsync("/api/v1/customers", new
        {
            type = "individual",
            displayName = "John Smith",
            primaryContact = new { firstName = "John", lastName = "Smith", email = "jsmith@two.example" },
        })).ExpectAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_MatchOnlyADeletedCustomer_IsCreated(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var gone = await app.Client.CreateIndividualAsync("Gina Gone", email: "gina@gone.example");
        await (await app.Client.DeleteAsync($"/api/v1/customers/{gone.Id()}", null)).ExpectAsync(HttpStatusCode.NoContent);

        await (await app.Client.PostJsonAsync("/api/v1/customers", new
        {
            type = "individual",
            displayName = "Gina Gone",
            primaryContact = new { firstName = "Gina", lastName = "Gone", email = "gina@gone.example" },
        })).ExpectAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_ThresholdFromConfiguration_IsHonoured(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db, new Dictionary<string, string?> { ["Duplicates:Threshold"] = "0.7" });
        await app.Client.CreateIndividualAsync("John Smith", email: "john.smith@one.example");

        // The same name alone scores 0.75: below the default 0.8, above this deployment's 0.7.
        await (await app.Client.PostJsonAsync("/api/v1/customers", new { type = "individual", displayName = "John Smith" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_SamePersonEightTimesAtOnce_CreatesOneAndRefusesTheOthersAsDuplicates(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var name = Builders.Unique("Rita Race ");
        var body = JsonSerializer.Serialize(new
        {
            type = "individual",
            displayName = name,
            primaryContact = new { firstName = "Rita", lastName = "Race", email = Builders.Unique("rita.race.") + "@race.example" },
        });

        // All eight wait for one signal, so their duplicate checks overlap instead of running in turn.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = Enumerable.Range(0, 8).Select(async _ =>
        {
            await start.Task;
            return await app.Client.PostJsonAsync("/api/v1/customers", body);
        }).ToList();
        start.SetResult();
        var responses = await Task.WhenAll(sent);

        var created = await Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created).ExpectAsync(HttpStatusCode.Created);
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.Created).ToList();
        Assert.Equal(7, refused.Count);
        foreach (var response in refused)
        {
            // The answer a create arriving after the first would get: the first, as a possible duplicate.
            var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal("urn:aida:problem:possible-duplicate", problem.Str("type"));
            Assert.Equal(created.Id(), Assert.Single(problem.GetProperty("candidates").EnumerateArray()).Id());
        }

        Assert.Equal(1, await app.QueryAsync(d => d.Set<Customer>().CountAsync(c => c.DisplayName == name)));
    }

    private static Task<int[]> CountsAsync(AidaApp app) => app.QueryAsync(async d => new[]
    {
        await d.Set<Customer>().CountAsync(),
        await d.Set<AuditEntry>().CountAsync(),
        await d.Set<OutboxEvent>().CountAsync(),
    });
}
