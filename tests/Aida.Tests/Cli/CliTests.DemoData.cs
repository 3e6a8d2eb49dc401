using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;
using Aida.Features.Deals;
using Aida.Features.Interactions;
using Aida.Features.Leads;
using Aida.Features.Lifecycle;
using Aida.Platform.Hosting;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Cli;

/// <summary>
/// Issue 18: what <c>aida --demo</c> promises someone trying Aida. A real server on an empty database, its
/// demo admin's first look through the API, then the demo data itself: a business's history, not a test fixture's.
/// </summary>
public sealed partial class CliTests
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ServeDemo_GivesTheAdminAWorkingDayAndDataThatLooksLikeABusiness(DatabaseKind db)
    {
        await using var database = await TestDatabase.CreateAsync(db);
        var site = $"http://127.0.0.1:{AidaProcess.FreePort()}";
        await using (var server = AidaProcess.Start([.. Target(database), "--demo", "--urls", site]))
        {
            using var client = new HttpClient { BaseAddress = new Uri(site) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoTokenAsync(database, server));

            // The demo admin's My activities: something overdue, something due today, something coming; and reminders sent.
            var overdue = await PollAsync(client, "/api/v1/activities?assignedTo=me&due=overdue", server);
            var today = await PollAsync(client, "/api/v1/activities?assignedTo=me&due=today", server);
            var upcoming = await PollAsync(client, "/api/v1/activities?assignedTo=me&due=upcoming", server);
            var notifications = await PollAsync(client, "/api/v1/notifications", server);

            Assert.NotEmpty(overdue.Items());
            Assert.NotEmpty(today.Items());
            Assert.NotEmpty(upcoming.Items());
            Assert.NotEmpty(notifications.Items());
            Assert.True(notifications.GetProperty("unreadCount").GetInt32() > 0);
            Assert.All(notifications.Items(), n => Assert.StartsWith("Reminder: ", n.Str("title"), StringComparison.Ordinal));
        }

        await using var app = await AidaApp.StartAsync(database);
        var now = DateTime.UtcNow;
        var data = await app.QueryAsync(async d => new
        {
            Customers = await d.Set<Customer>().AsNoTracking().ToListAsync(),
            Contacts = await d.Set<Contact>().AsNoTracking().ToListAsync(),
            Leads = await d.Set<Lead>().AsNoTracking().ToListAsync(),
            Touches = await d.Set<LeadInteraction>().AsNoTracking().ToListAsync(),
            Interactions = await d.Set<Interaction>().AsNoTracking().Select(i => new { i.Id, i.CustomerId, i.OccurredAt }).ToListAsync(),
            Deals = await d.Set<Opportunity>().AsNoTracking().Select(o => new { o.CustomerId, o.CreatedAt, o.LeadId }).ToListAsync(),
            Purchases = await d.Set<Purchase>().AsNoTracking().Select(p => new { p.CustomerId, p.PurchasedOn }).ToListAsync(),
            Stages = await d.Set<LifecycleHistory>().AsNoTracking().Select(h => new { h.CustomerId, h.ChangedAt }).ToListAsync(),
            SalesReady = (await LeadSettings.GetAsync(d, CancellationToken.None)).QualificationThreshold,
        });

        // Customers came over two years, not all at the minute of the seeding: every quarter has some.
        var created = data.Customers.Select(c => c.CreatedAt).ToList();
        Assert.True(created.Min() < now.AddMonths(-18), $"oldest customer {created.Min():O}");
        Assert.True(created.Max() > now.AddMonths(-1), $"newest customer {created.Max():O}");
        Assert.All(Enumerable.Range(0, 8), quarter => Assert.Contains(created,
            c => c <= now.AddMonths(-3 * quarter) && c > now.AddMonths(-3 * (quarter + 1))));

        // What belongs to a customer came after it; only a converted lead's touches, moved to its customer, came before.
        var since = data.Customers.ToDictionary(c => c.Id, c => c.CreatedAt);
        var fromLeads = data.Touches.Select(t => t.InteractionId).OfType<Guid>().ToHashSet();
        Assert.NotEmpty(fromLeads);
        Assert.All(data.Interactions.Where(i => !fromLeads.Contains(i.Id)), i => Assert.True(i.OccurredAt >= since[i.CustomerId], "an interaction before its customer"));
        Assert.All(data.Deals, o => Assert.True(o.CreatedAt >= since[o.CustomerId], "a deal before its customer"));
        Assert.All(data.Purchases, p => Assert.True(p.PurchasedOn >= DateOnly.FromDateTime(since[p.CustomerId]), "a purchase before its customer"));
        Assert.All(data.Stages, h => Assert.True(h.ChangedAt >= since[h.CustomerId], "a stage change before its customer"));

        // Real-looking names: no "Becker-B", no "Jane Doe 2", no two people or customers alike, no "Group Group".
        var people = data.Contacts.Select(c => $"{c.FirstName} {c.LastName}")
            .Concat(data.Leads.Where(l => l.Status != LeadStatus.Converted).Select(l => l.PersonName)).ToList();
        Assert.All(people.Concat(data.Customers.Select(c => c.DisplayName)), name => Assert.DoesNotMatch(DisambiguatingSuffix(), name));
        Assert.Equal(data.Customers.Count, data.Customers.Select(c => c.DisplayName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(data.Leads.Count, data.Leads.Select(l => l.PersonName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(data.Customers.Where(c => c.Type == CustomerType.Organization), c =>
        {
            var words = c.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(words.Distinct(StringComparer.OrdinalIgnoreCase).Count() == words.Length, $"a word twice in {c.DisplayName}");
        });

        // Leads in every state the product has, closed ones with their reasons, converted ones into customers and deals.
        Assert.All(Enum.GetValues<LeadStatus>(), status => Assert.Contains(data.Leads, l => l.Status == status));
        Assert.All(Enum.GetValues<QualificationStatus>(), status => Assert.Contains(data.Leads, l => l.QualificationStatus == status));
        Assert.All(data.Leads.Where(l => l.QualificationStatus == QualificationStatus.Disqualified), l => Assert.False(string.IsNullOrWhiteSpace(l.QualificationReason)));
        Assert.All(data.Leads.Where(l => l.Status == LeadStatus.Lost), l => Assert.False(string.IsNullOrWhiteSpace(l.LostReason)));
        Assert.All(data.Leads.Where(l => l.Status == LeadStatus.Converted), l =>
        {
            Assert.Contains(data.Customers, c => c.Id == l.ConvertedCustomerId && (c.CreatedAt - l.ConvertedAt!.Value).Duration() < TimeSpan.FromMinutes(1));
            Assert.True(l.ConvertedAt < now.AddDays(-7), $"converted {l.ConvertedAt:O}, at the seeding");
        });
        Assert.Contains(data.Deals, o => o.LeadId is not null && data.Leads.Any(l => l.ConvertedOpportunityId is not null && l.Id == o.LeadId));

        // A lead's counters are its touches: chased since its last answer, connected at its first call, last contacted at its last.
        Assert.True(data.Touches.Count >= data.Leads.Count, $"{data.Touches.Count} touches for {data.Leads.Count} leads");
        Assert.All(data.Leads, lead =>
        {
            var touches = data.Touches.Where(t => t.LeadId == lead.Id).OrderBy(t => t.OccurredAt).ToList();
            var sinceAnswer = touches.Count - 1 - touches.FindLastIndex(t => t.Direction == Direction.Inbound);
            Assert.Equal(sinceAnswer, lead.FollowUpCount);
            Assert.Equal(touches.FirstOrDefault(t => t.Direction == Direction.Outbound)?.OccurredAt, lead.ConnectedAt);
            Assert.Equal(touches.LastOrDefault()?.OccurredAt, lead.LastContactAt);
            Assert.All(touches, t => Assert.True(t.OccurredAt >= lead.CreatedAt && t.OccurredAt < now, "a touch outside the lead's life"));
        });

        // No sales-ready lead waits unassigned.
        Assert.Contains(data.Leads, l => l.Score >= data.SalesReady);
        Assert.All(data.Leads.Where(l => l.Score >= data.SalesReady), l => Assert.NotNull(l.AssignedTo));
    }

    /// <summary>
    /// The demo admin's API token, as <c>serve --demo</c> shows it once. The one place these tests read it: where
    /// the sign-in is shown may change (standard output only on a terminal), and then only this needs to follow.
    /// </summary>
    /// <summary>The demo admin's API token: with its output redirected, aida writes the sign-in to an owner-only file in the data directory.</summary>
    private static Task<string> DemoTokenAsync(TestDatabase database, AidaProcess server)
    {
        var file = Path.Combine(database.DataDirectory, DemoSignIn.FileName);
        return WaitForAsync(server, () => File.Exists(file) && TokenPattern().Match(File.ReadAllText(file)) is { Success: true } m ? m.Value : null);
    }

    /// <summary>A name told apart from a namesake by a made-up ending: "Becker-B", "Jane Doe 2".</summary>
    [GeneratedRegex(@"(-[A-Z]|\s\d+)$")]
    private static partial Regex DisambiguatingSuffix();
}
