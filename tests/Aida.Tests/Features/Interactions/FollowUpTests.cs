using System.Net;
using System.Text.Json;
using Aida.Features.Interactions.Activities;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Interactions;

/// <summary>WF-IT-003: the follow-up drafted from an interaction.</summary>
public sealed class FollowUpApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Draft_FollowsTheInteractionsType_AndIsDueTomorrowAtNineInTheUsersZone(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        await app.SetTimeZoneAsync(rep.Id, InteractionsTesting.MiddayZone(out var offset));
        var customer = await repClient.CreateOrganizationAsync(name: Builders.Unique("Drafty "), primaryContact: new { firstName = "Dee", lastName = "Raft" });
        var contactId = customer.GetProperty("primaryContact").Id();
        var localToday = DateOnly.FromDateTime((DateTimeOffset.UtcNow + offset).DateTime);
        var tomorrowAtNine = new DateTimeOffset(localToday.AddDays(1).ToDateTime(new TimeOnly(9, 0)), offset).UtcDateTime;

        foreach (var (type, expected) in new[] { ("call", "call"), ("meeting", "meeting"), ("email", "email"), ("in_person", "meeting"), ("other", "follow_up"), ("chat", "follow_up") })
        {
            var logged = await (await repClient.PostJsonAsync("/api/v1/interactions", new
            {
                customerId = customer.Id(),
                contactId,
                interactionType = type,
                direction = "outbound",
                subject = $"Pricing {type}",
                description = "Went through the price list.",
            })).ExpectAsync(HttpStatusCode.Created);

            var draft = await DraftAsync(repClient, logged.Id());

            Assert.Equal(expected, draft.Str("activityType"));
            Assert.Equal($"Follow up: Pricing {type}", draft.Str("subject"));
            Assert.Equal("Went through the price list.", draft.Str("description"));
            Assert.Equal(tomorrowAtNine, draft.GetProperty("dueDate").GetDateTime().ToUniversalTime());
            Assert.Equal(JsonValueKind.Null, draft.GetProperty("detectedPhrase").ValueKind);
            Assert.Equal(customer.Id(), draft.GetProperty("customerId").GetGuid());
            Assert.Equal(contactId, draft.GetProperty("contactId").GetGuid());
            Assert.Equal(logged.Id(), draft.GetProperty("sourceInteractionId").GetGuid());
            Assert.Equal(rep.Id, draft.GetProperty("assignedTo").GetGuid());
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Draft_TakesTheDueDateFromAPhraseInTheNotes_AndSavesAsAnActivity(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        await app.SetTimeZoneAsync(rep.Id, InteractionsTesting.MiddayZone(out var offset));
        var customer = await repClient.CreateOrganizationAsync(name: Builders.Unique("Phrasey "));
        var localToday = DateOnly.FromDateTime((DateTimeOffset.UtcNow + offset).DateTime);
        DateTime AtNine(DateOnly day) => new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), offset).UtcDateTime;

        var inThreeDays = await InteractionsApiTests.LogAsync(repClient, customer.Id(), DateTimeOffset.UtcNow.AddMinutes(-5), subject: "Renewal", description: "Asked us to call again in 3 days.");
        var draft = await DraftAsync(repClient, inThreeDays.Id());
        Assert.Equal("in 3 days", draft.Str("detectedPhrase"));
        Assert.Equal(AtNine(localToday.AddDays(3)), draft.GetProperty("dueDate").GetDateTime().ToUniversalTime());

        var nextWeek = await InteractionsApiTests.LogAsync(repClient, customer.Id(), DateTimeOffset.UtcNow.AddMinutes(-4), subject: "Call next week about the contract");
        draft = await DraftAsync(repClient, nextWeek.Id());
        Assert.Equal("next week", draft.Str("detectedPhrase"));
        var monday = localToday.AddDays(1);
        while (monday.DayOfWeek != DayOfWeek.Monday)
        {
            monday = monday.AddDays(1);
        }

        Assert.Equal(AtNine(monday), draft.GetProperty("dueDate").GetDateTime().ToUniversalTime());

        // Without a subject the draft names the customer.
        var untitled = await InteractionsApiTests.LogAsync(repClient, customer.Id(), DateTimeOffset.UtcNow.AddMinutes(-3), subject: null!);
        draft = await DraftAsync(repClient, untitled.Id());
        Assert.Equal("Follow up with " + customer.Str("displayName"), draft.Str("subject"));

        // The draft is what POST /activities takes.
        var saved = await (await repClient.PostJsonAsync("/api/v1/activities", new
        {
            customerId = draft.GetProperty("customerId").GetGuid(),
            activityType = draft.Str("activityType"),
            subject = draft.Str("subject"),
            dueDate = draft.GetProperty("dueDate").GetDateTime(),
            sourceInteractionId = draft.GetProperty("sourceInteractionId").GetGuid(),
        })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(untitled.Id(), saved.GetProperty("sourceInteractionId").GetGuid());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Draft_OfAnInteractionOutOfReach_IsNotFound(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, repClient) = await app.UserAsync(Role.Rep);
        var customer = await app.Client.CreateOrganizationAsync();
        var logged = await InteractionsApiTests.LogAsync(app.Client, customer.Id(), DateTimeOffset.UtcNow.AddMinutes(-5), subject: "Secret call");

        var problem = await (await repClient.GetAsync($"/api/v1/interactions/{logged.Id()}/follow-up")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain("Secret", problem.GetRawText(), StringComparison.Ordinal);
        await (await repClient.GetAsync($"/api/v1/interactions/{Guid.CreateVersion7()}/follow-up")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task<JsonElement> DraftAsync(HttpClient client, Guid interactionId) =>
        await (await client.GetAsync($"/api/v1/interactions/{interactionId}/follow-up")).ExpectAsync(HttpStatusCode.OK);
}

/// <summary>The phrases <see cref="FollowUpDates"/> reads, relative to a fixed day (a Wednesday).</summary>
public sealed class FollowUpDatesTests
{
    private static readonly DateOnly Wednesday = new(2026, 3, 4);
    private static readonly DateOnly Friday = new(2026, 3, 6);

    [Theory]
    [InlineData("Call again tomorrow please", "2026-03-05", "tomorrow")]
    [InlineData("She is out today", "2026-03-04", "today")]
    [InlineData("Let's talk next week", "2026-03-09", "next week")]
    [InlineData("NEXT WEEK works", "2026-03-09", "NEXT WEEK")]
    [InlineData("ping me in 3 days", "2026-03-07", "in 3 days")]
    [InlineData("in 1 day", "2026-03-05", "in 1 day")]
    [InlineData("check back in two weeks", "2026-03-18", "in two weeks")]
    [InlineData("in a week", "2026-03-11", "in a week")]
    [InlineData("back in eight days", "2026-03-12", "in eight days")]
    [InlineData("in nine weeks", "2026-05-06", "in nine weeks")]
    [InlineData("meet on Friday", "2026-03-06", "on Friday")]
    [InlineData("meet on Monday", "2026-03-09", "on Monday")]
    [InlineData("see you next month", "2026-04-04", "next month")]
    [InlineData("next week, or maybe tomorrow", "2026-03-09", "next week")] // the first phrase wins
    public void Detect_APhrase_GivesItsDay(string text, string expected, string phrase)
    {
        Assert.Equal(DayOfWeek.Wednesday, Wednesday.DayOfWeek);

        var detected = FollowUpDates.Detect(text, Wednesday);

        Assert.NotNull(detected);
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), detected.Date);
        Assert.Equal(phrase, detected.Phrase);
    }

    [Fact]
    public void Detect_OnFridaySaidOnAFriday_MeansAWeekLater()
    {
        Assert.Equal(DayOfWeek.Friday, Friday.DayOfWeek);

        Assert.Equal(Friday.AddDays(7), FollowUpDates.Detect("Let's meet on Friday", Friday)!.Date);
        Assert.Equal(Friday.AddDays(1), FollowUpDates.Detect("Saturday then", Friday)!.Date);
    }

    [Fact]
    public void Detect_NextWeekSaidOnAMonday_IsTheFollowingMonday()
    {
        var monday = new DateOnly(2026, 3, 2);
        Assert.Equal(DayOfWeek.Monday, monday.DayOfWeek);

        Assert.Equal(monday.AddDays(7), FollowUpDates.Detect("next week", monday)!.Date);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Talked about pricing, nothing scheduled.")]
    [InlineData("We are closed on fridays")]
    [InlineData("Tomorrowland tickets")]
    [InlineData("in days to come")]
    public void Detect_NoPhrase_IsNull_AndTheSuggestionIsTomorrow(string? text)
    {
        Assert.Null(FollowUpDates.Detect(text, Wednesday));

        var suggested = FollowUpDates.Suggest(text, Wednesday);
        Assert.Equal(Wednesday.AddDays(1), suggested.Date);
        Assert.Equal("", suggested.Phrase);
    }
}
