using Aida.Features.Leads.Forms;
using Aida.Features.Leads.Routing;
using Aida.Features.Leads.Scoring;
using Aida.Features.Leads;
using Aida.Platform.Hosting;

namespace Aida.DemoData;

/// <summary>
/// The demo's leads (serve --demo, seed --demo). First the set-up: scoring rules across the three categories,
/// a routing rule that shares website and referral leads round robin in the demo sales team, and a "Contact
/// us" web form. Then leads in every state the product has, each worked through the product's own use cases
/// on the days it happened (<see cref="DemoClock"/>): captured (scored and routed), chased and answered
/// (touches that move the follow-up count, the connection and the qualification), followed up, qualified,
/// disqualified and lost with their reasons, left unresponsive after the maximum follow-ups, and converted
/// into customers, some with a deal. So a lead's counters are its touches, its page answers "why is it 72?",
/// and no lead worth a call waits unassigned. Deterministic for a given seed.
/// </summary>
public sealed class DemoLeads : IDemoData
{
    public int Order => 4;

    public string What => "leads worked through their stories, scoring and routing rules and a web form";

    public async Task SeedAsync(DemoSeed demo, CancellationToken cancellationToken)
    {
        await SetUpAsync(demo.Services, cancellationToken);
        await DemoLeadStories.AddAsync(demo, cancellationToken);
    }

    private static readonly (string Name, ScoringCategory Category, string Field, ScoringOperator Operator, string? Value, int Points)[] Rules =
    [
        ("Business email", ScoringCategory.Demographic, "businessEmail", ScoringOperator.IsTrue, null, 10),
        ("Gave a company", ScoringCategory.Demographic, "company", ScoringOperator.IsSet, null, 10),
        ("UK or US", ScoringCategory.Demographic, "country", ScoringOperator.In, "[\"GB\",\"US\"]", 5),
        ("Referred", ScoringCategory.Behavioural, "sourceType", ScoringOperator.Equals, "referral", 15),
        ("Came back", ScoringCategory.Behavioural, "captureCount", ScoringOperator.AtLeast, "2", 10),
        ("We talked", ScoringCategory.Behavioural, "connected", ScoringOperator.IsTrue, null, 10),
        ("Budget of 1,000 or more", ScoringCategory.Bant, "budgetAmount", ScoringOperator.AtLeast, "1000", 15),
        ("Decision maker", ScoringCategory.Bant, "authority", ScoringOperator.Equals, "decision_maker", 20),
        ("Strong need", ScoringCategory.Bant, "need", ScoringOperator.Equals, "high", 15),
        ("Buying this month", ScoringCategory.Bant, "timeline", ScoringOperator.In, "[\"immediate\",\"this_month\"]", 15),
    ];

    private static async Task SetUpAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            if (await db.Set<LeadScoringRule>().AnyAsync(cancellationToken) || await db.Set<LeadForm>().AnyAsync(cancellationToken))
            {
                return;
            }

            await using var transaction = await db.BeginWriteAsync(cancellationToken);
            for (var i = 0; i < Rules.Length; i++)
            {
                var (name, category, field, op, value, points) = Rules[i];
                var isList = op is ScoringOperator.In or ScoringOperator.NotIn;
                db.Add(new LeadScoringRule
                {
                    Name = name,
                    Category = category,
                    Field = field,
                    Operator = op,
                    Value = isList ? null : value,
                    ValueList = isList ? value : null,
                    Points = points,
                    Position = i + 1,
                });
            }

            var team = await db.Set<Team>().Where(t => t.Name == "Demo Sales").Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken);
            if (team is not null)
            {
                db.Add(new LeadRoutingRule
                {
                    Name = "Web and referral leads to the sales team",
                    Position = 1,
                    SourceTypes = "[\"website\",\"referral\"]",
                    Action = RoutingAction.RoundRobin,
                    TeamId = team,
                    OpenLeadCap = 25,
                });
            }

            db.Add(new LeadForm
            {
                Name = "Contact us",
                FieldList =
                [
                    new LeadFormField("firstName", "First name", "text", false),
                    new LeadFormField("lastName", "Last name", "text", false),
                    new LeadFormField("email", "Email", "email", true),
                    new LeadFormField("company", "Company", "text", false),
                    new LeadFormField("message", "How can we help?", "textarea", false),
                ],
                SourceDetail = "Contact us form",
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // Leads there before the rules (an older demo database) are scored by them too.
        await using (var scope = services.CreateAsyncScope())
        {
            await LeadScoring.RescoreAsync(scope.ServiceProvider.GetRequiredService<AidaDb>(), cancellationToken);
        }
    }
}
