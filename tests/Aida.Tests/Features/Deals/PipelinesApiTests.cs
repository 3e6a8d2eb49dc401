using System.Net;
using Aida.Features.Deals;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Aida.Tests.Features.Deals.DealsTesting;

namespace Aida.Tests.Features.Deals;

/// <summary>
/// The pipeline API on a server shared by the class, counting from the test's start; making another pipeline
/// the default changes where every new deal goes, so that test has a server of its own.
/// </summary>
public sealed class PipelinesApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_StoresStagesInOrder_WithCodesFromNames_AndNeedsAdminSettings(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, managerApi) = await app.UserAsync(Role.Manager);

        var response = await app.Client.PostJsonAsync("/api/v1/pipelines", new
        {
            name = "Partners",
            stages = new object[]
            {
                new { name = "Demo booked!", probability = 20 },
                new { name = "Pilot", code = "pilot_running", probability = 60 },
                new { name = "Signed", kind = "won" },
                new { name = "Dropped", kind = "lost" },
            },
        });
        var pipeline = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal($"/api/v1/pipelines/{pipeline.Id()}", response.Headers.Location?.ToString());
        Assert.False(pipeline.GetProperty("isDefault").GetBoolean());
        var stages = pipeline.GetProperty("stages").EnumerateArray().ToArray();
        Assert.Equal(["demo_booked", "pilot_running", "signed", "dropped"], stages.Select(s => s.Str("code")));
        Assert.Equal([1, 2, 3, 4], stages.Select(s => s.GetProperty("position").GetInt32()));
        Assert.Equal([20, 60, 100, 0], stages.Select(s => s.GetProperty("probability").GetInt32()));
        var fetched = await app.Client.GetAsync($"/api/v1/pipelines/{pipeline.Id()}");
        Assert.Equal("Partners", (await fetched.ExpectAsync(HttpStatusCode.OK)).Str("name"));
        Assert.Equal("\"1\"", fetched.ETag());

        await (await managerApi.PostJsonAsync("/api/v1/pipelines", DealsApiTests.TwoStagePipeline("Not allowed"))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await app.Client.GetAsync($"/api/v1/pipelines/{Guid.NewGuid()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_WithoutOpenWonOrLostStages_IsRefused_NamingTheField(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var pipelinesBefore = await app.QueryAsync(d => d.Set<Pipeline>().CountAsync());

        await (await app.Client.PostJsonAsync("/api/v1/pipelines", new { name = "No won", stages = new object[] { new { name = "A", probability = 10 }, new { name = "Lost", kind = "lost" } } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "stages");
        await (await app.Client.PostJsonAsync("/api/v1/pipelines", new { name = "No open", stages = new object[] { new { name = "Won", kind = "won" }, new { name = "Lost", kind = "lost" } } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "stages");
        await (await app.Client.PostJsonAsync("/api/v1/pipelines", new
        {
            name = "Two won",
            stages = new object[] { new { name = "A", probability = 10 }, new { name = "Won", kind = "won" }, new { name = "Won too", kind = "won" }, new { name = "Lost", kind = "lost" } },
        })).ExpectProblemAsync(HttpStatusCode.BadRequest, "stages");
        await (await app.Client.PostJsonAsync("/api/v1/pipelines", new
        {
            name = "Bad stage",
            stages = new object[] { new { name = "A", probability = 120 }, new { name = "", kind = "won" }, new { name = "Lost", kind = "lost", code = "Not A Code" } },
        })).ExpectProblemAsync(HttpStatusCode.BadRequest, "stages[0].probability");
        await (await app.Client.PostJsonAsync("/api/v1/pipelines", new { stages = new object[] { new { name = "A", probability = 10 } } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "name");

        Assert.Equal(pipelinesBefore, await app.QueryAsync(d => d.Set<Pipeline>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Update_MakingAnotherTheDefault_LeavesExactlyOneDefault_AndNewDealsGoThere(DatabaseKind db)
    {
        // A server of its own: the default pipeline is where every new deal goes.
        await using var app = await AidaApp.StartAsync(db);
        var created = await app.Client.PostJsonAsync("/api/v1/pipelines", DealsApiTests.TwoStagePipeline("Renewals"));
        var renewals = await created.ExpectAsync(HttpStatusCode.Created);

        await (await app.Client.PatchJsonAsync($"/api/v1/pipelines/{renewals.Id()}", new { isDefault = false }, created.ETag()))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "isDefault");
        var patched = await (await app.Client.PatchJsonAsync($"/api/v1/pipelines/{renewals.Id()}", new { isDefault = true, name = "Renewals 2027" }, created.ETag()))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.True(patched.GetProperty("isDefault").GetBoolean());
        Assert.Equal("Renewals 2027", patched.Str("name"));
        await (await app.Client.PatchJsonAsync($"/api/v1/pipelines/{renewals.Id()}", new { name = "Stale" }, created.ETag()))
            .ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        var list = await (await app.Client.GetAsync("/api/v1/pipelines")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([renewals.Id()], list.Items().Where(p => p.GetProperty("isDefault").GetBoolean()).Select(p => p.Id()));
        var deal = (await app.Client.CreateDealAsync(await app.Client.CustomerAsync())).Deal;
        Assert.Equal(renewals.Id(), deal.GetProperty("pipelineId").GetGuid());
        Assert.Equal("talking", deal.GetProperty("stage").Str("code"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Update_Stages_ReordersRenamesAddsAndRemoves_ButKeepsStagesThatHoldDeals(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var created = await app.Client.PostJsonAsync("/api/v1/pipelines", DealsApiTests.TwoStagePipeline("Renewals"));
        var pipeline = await created.ExpectAsync(HttpStatusCode.Created);
        var stages = pipeline.GetProperty("stages").EnumerateArray().Select(s => s.Id()).ToArray();
        var url = $"/api/v1/pipelines/{pipeline.Id()}";

        var changed = await app.Client.PatchJsonAsync(url, new
        {
            stages = new object[]
            {
                new { name = "Call booked", code = "call_booked", probability = 15 },
                new { id = stages[0], name = "Talking it over", probability = 40 },
                new { id = stages[1], name = "Renewed", kind = "won" },
                new { id = stages[2], name = "Churned", kind = "lost" },
            },
        }, created.ETag());
        var body = await changed.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("\"2\"", changed.ETag());
        Assert.Equal(["call_booked", "talking", "renewed", "churned"], body.GetProperty("stages").EnumerateArray().Select(s => s.Str("code")));
        Assert.Equal("Talking it over", body.GetProperty("stages")[1].Str("name"));
        Assert.Equal(40, body.GetProperty("stages")[1].GetProperty("probability").GetInt32());
        var callBooked = body.GetProperty("stages")[0].Id();

        // A deal in "Talking it over": that stage cannot go; "Call booked" (never used) can.
        var customer = await app.Client.CustomerAsync();
        await app.Client.CreateDealAsync(customer, stageId: stages[0]);
        var allStages = new object[]
        {
            new { id = stages[1], name = "Renewed", kind = "won" },
            new { id = stages[2], name = "Churned", kind = "lost" },
        };
        await (await app.Client.PatchJsonAsync(url, new { stages = allStages.Prepend(new { id = callBooked, name = "Call booked", probability = 15 }) }, "*"))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "stages");
        var removed = await (await app.Client.PatchJsonAsync(url, new { stages = allStages.Prepend(new { id = stages[0], name = "Talking", probability = 40 }) }, "*"))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["talking", "renewed", "churned"], removed.GetProperty("stages").EnumerateArray().Select(s => s.Str("code")));
        await (await app.Client.PatchJsonAsync(url, new { stages = new object[] { new { id = stages[0], name = "Talking", kind = "won" }, new { name = "Open", probability = 5 }, new { id = stages[2], name = "Churned", kind = "lost" } } }, "*"))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "stages");
        await (await app.Client.PatchJsonAsync(url, new { stages = new object[] { new { id = stages[0], name = "Talking", code = "renamed", probability = 40 }, new { id = stages[1], name = "Renewed", kind = "won" }, new { id = stages[2], name = "Churned", kind = "lost" } } }, "*"))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "stages[0].code");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_IsRefusedForTheDefaultAndWhileItHoldsOpenDeals(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var listedBefore = (await (await app.Client.GetAsync("/api/v1/pipelines")).ExpectAsync(HttpStatusCode.OK)).Items().Select(p => p.Id()).ToArray();
        var pipeline = await (await app.Client.PostJsonAsync("/api/v1/pipelines", DealsApiTests.TwoStagePipeline("Renewals"))).ExpectAsync(HttpStatusCode.Created);
        var talking = pipeline.GetProperty("stages")[0].Id();
        var renewed = pipeline.GetProperty("stages")[1].Id();
        var (deal, etag) = await app.Client.CreateDealAsync(await app.Client.CustomerAsync(), stageId: talking);

        await (await app.Client.DeleteAsync($"/api/v1/pipelines/{DefaultPipeline}", null)).ExpectProblemAsync(HttpStatusCode.Conflict, "id");
        await (await app.Client.DeleteAsync($"/api/v1/pipelines/{pipeline.Id()}", null)).ExpectProblemAsync(HttpStatusCode.Conflict, "id");

        await (await app.Client.MoveAsync(deal.Id(), renewed, etag, "Renewed for two years")).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.DeleteAsync($"/api/v1/pipelines/{pipeline.Id()}", null)).ExpectAsync(HttpStatusCode.NoContent);

        var list = await (await app.Client.GetAsync("/api/v1/pipelines")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(listedBefore.Order(), list.Items().Select(p => p.Id()).Order());
        Assert.Contains(DefaultPipeline, listedBefore);
        // The closed deal keeps its pipeline and history.
        var kept = await (await app.Client.GetAsync($"/api/v1/deals/{deal.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("won", kept.Str("status"));
        Assert.Equal(2, kept.GetProperty("history").GetArrayLength());
    }
}
