using Aida.Features.Leads.Forms;
using Aida.Features.Leads.Routing;
using Aida.Features.Leads.Scoring;
using Aida.Features.Leads;
using Aida.Platform.Hosting;

namespace Aida.DemoData;

/// <summary>
/// The lead set-up a demo needs (serve --demo, seed --demo): scoring rules across the three categories, a
/// routing rule that shares website and referral leads round robin in the demo sales team, and a "Contact
/// us" web form, then every demo lead scored by those rules — so a lead's page answers "why is it 72?".
/// </summary>
public sealed class DemoLeads : IDemoData
{
    public int Order => 4;

    public string What => "leads, scoring and routing rules and a web form";

    public Task SeedAsync(DemoSeed demo, CancellationToken cancellationToken) =>
        SeedAsync(demo.Services, cancellationToken);

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

    private static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
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

        await using (var scope = services.CreateAsyncScope())
        {
            await LeadScoring.RescoreAsync(scope.ServiceProvider.GetRequiredService<AidaDb>(), cancellationToken);
        }
    }
}
