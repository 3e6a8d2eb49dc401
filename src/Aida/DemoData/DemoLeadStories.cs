using Aida.Features.Customers.Duplicates;
using Aida.Features.Customers;
using Aida.Features.Interactions;
using Aida.Features.Leads;
using Aida.Platform.Hosting;

namespace Aida.DemoData;

/// <summary>
/// The demo leads and what happened to each, worked through the lead use cases on the days it happened. Every
/// person is someone else: first and last names are drawn without repeats, so no two leads share a name and
/// none needs a suffix to tell it apart.
/// </summary>
internal static class DemoLeadStories
{
    /// <summary>How far a lead got; the demo has each several times, so every state of the lead list is there.</summary>
    private enum Story
    {
        New,
        Contacted,
        Talking,
        FollowUpBooked,
        Qualified,
        ConvertedWithDeal,
        Converted,
        Disqualified,
        Lost,
        Unresponsive,
    }

    private static readonly Story[] Stories =
    [
        Story.New, Story.Contacted, Story.Talking, Story.Qualified, Story.ConvertedWithDeal, Story.Lost, Story.New,
        Story.FollowUpBooked, Story.Disqualified, Story.Unresponsive, Story.Converted, Story.Contacted, Story.New, Story.Talking,
        Story.ConvertedWithDeal, Story.Qualified, Story.Lost, Story.Disqualified, Story.Unresponsive, Story.FollowUpBooked,
    ];

    private static readonly string[] FirstNames =
    [
        "Priya", "Tom", "Amelie", "Jonas", "Maria", "Kwame", "Olivia", "Chen", "Fatima", "Lucas", "Ines", "Mateus",
        "Sofia", "Daniel", "Aiko", "Ben", "Clara", "Emeka", "Hannah", "Ivan", "Julia", "Karim", "Laura", "Marek",
        "Nadia", "Owen", "Paula", "Rafael", "Sara", "Theo", "Ursula", "Viktor", "Wen", "Yara", "Zoe", "Adam",
        "Bianca", "Carlos", "Dina", "Erik",
    ];

    private static readonly string[] LastNames =
    [
        "Raman", "Becker", "Laurent", "Berg", "Garcia", "Mensah", "Brown", "Wei", "Zahra", "Silva", "Duarte", "Kovacs",
        "Marino", "Hughes", "Sato", "Carter", "Vogel", "Okoye", "Schultz", "Petrov", "Navarro", "Aziz", "Jensen", "Dvorak",
        "Farouk", "Gallagher", "Lindgren", "Moretti", "Holm", "Quinn", "Richter", "Sokolov", "Tran", "Haddad", "Whitfield", "Abbott",
        "Conti", "Mendes", "Yilmaz", "Nyberg",
    ];

    private static readonly (string Business, string Needs, string Deal)[] Businesses =
    [
        ("Dental", "Six workstations for a new clinic", "Clinic workstations"),
        ("Logistics", "Tablets for 40 drivers", "Driver tablets"),
        ("Law", "Secure backups for client files", "Managed backup"),
        ("Foods", "Point-of-sale terminals for three shops", "Point-of-sale terminals"),
        ("Architects", "Workstations with big GPUs", "GPU workstations"),
        ("Travel", "Managed IT for 12 staff", "Managed IT contract"),
        ("Fitness", "Front-desk kiosks", "Front-desk kiosks"),
        ("Accounting", "Yearly maintenance for the office", "Maintenance plan"),
        ("Bakery", "A laptop and a receipt printer", "Shop laptop bundle"),
        ("Studio", "Colour-accurate monitors for editing", "Editing monitors"),
    ];

    private static readonly string[] PrivateNeeds = ["Laptop screen repair", "Water-damaged phone", "A home office set-up", "Data recovery from an old disk"];

    private static readonly (string Country, string Dial)[] Countries =
        [("GB", "+44 20 7946 0"), ("US", "+1 202 555 0"), ("DE", "+49 30 901820"), ("FR", "+33 1 99 00 "), ("NL", "+31 20 555 0"), ("SE", "+46 8 123 45"), ("ES", "+34 91 555 0")];

    private static readonly LeadSourceType[] Sources =
        [LeadSourceType.Website, LeadSourceType.Referral, LeadSourceType.Phone, LeadSourceType.Email, LeadSourceType.Website, LeadSourceType.Social, LeadSourceType.WalkIn, LeadSourceType.Api];

    private static readonly string[] DisqualifyReasons =
        ["Student project, no budget", "Outside the area we serve", "Was looking for a job, not a product"];

    private static readonly string[] LostReasons =
        ["Went with a local shop", "Bought a competitor's product on price", "Project postponed indefinitely"];

    public static async Task AddAsync(DemoSeed demo, CancellationToken cancellationToken)
    {
        var services = demo.Services;
        var random = new Random(demo.RandomSeed + 8);
        List<(Guid Id, string Name)> reps;
        int maxFollowUps, salesReady;
        DateTime now;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            if (demo.Users.Count == 0 || await db.Set<Lead>().IgnoreQueryFilters().AnyAsync(cancellationToken))
            {
                return;
            }

            var users = await db.Set<User>().Where(u => demo.Users.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(cancellationToken);
            reps = [.. demo.Users.Select(id => (id, users.First(u => u.Id == id).DisplayName))];
            var settings = await LeadSettings.GetAsync(db, cancellationToken);
            (maxFollowUps, salesReady) = (settings.MaxFollowUps, settings.QualificationThreshold);
            now = db.Clock.UtcNow();
        }

        var manager = reps[0];
        var firstNames = FirstNames.OrderBy(_ => random.Next()).ToList();
        var lastNames = LastNames.OrderBy(_ => random.Next()).ToList();
        var count = Math.Min(Stories.Length * 2, Math.Min(firstNames.Count, lastNames.Count));
        for (var i = 0; i < count; i++)
        {
            var story = Stories[i % Stories.Length];
            var person = new Person(firstNames[i], lastNames[i]);
            var lead = new Plan(story, person, Request(person, story, i, random), Created(story, now, random));
            await WorkAsync(services, lead, reps, manager, i, maxFollowUps, salesReady, now, random, cancellationToken);
        }
    }

    private sealed record Person(string First, string Last);

    private sealed record Plan(Story Story, Person Person, CreateLead.Request Request, DateTime Created);

    /// <summary>Captured on its day, handed to a rep, then worked to where its story ends.</summary>
    private static async Task WorkAsync(
        IServiceProvider services, Plan plan, List<(Guid Id, string Name)> reps, (Guid Id, string Name) manager, int index,
        int maxFollowUps, int salesReady, DateTime now, Random random, CancellationToken cancellationToken)
    {
        Lead lead;
        await using (var past = DemoClock.At(services, plan.Created))
        {
            var captured = Expect(await CreateLead.RunAsync(plan.Request, past.Db, cancellationToken), "captured");
            lead = captured.Capture.Lead is { } created && captured.Capture.Outcome == CaptureOutcome.Created
                ? created
                : throw new InvalidOperationException("A demo lead matched an existing person; demo names and addresses are meant to be unique.");
        }

        // What routing left in the pool, the sales manager hands out: every lead that is being worked, and a new
        // one as soon as it scores as sales-ready. Only new leads below that wait in the pool.
        if (lead.AssignedTo is null && (plan.Story != Story.New || lead.Score >= salesReady))
        {
            var rep = reps[1 + (index % (reps.Count - 1))];
            await using var past = DemoClock.At(services, plan.Created.AddMinutes(random.Next(20, 180)), manager);
            var assigned = Expect(await UpdateLead.RunAsync(lead.Id, AssignTo(rep.Id), null, past.Db, cancellationToken), "assigned");
            lead.AssignedTo = assigned.AssignedTo;
        }

        var worker = lead.AssignedTo is { } assignee ? reps.First(r => r.Id == assignee) : manager;
        var steps = Steps(plan.Story, maxFollowUps);
        if (steps.Count == 0)
        {
            return;
        }

        // The steps spread over the lead's life so far, in order, the last one at least an hour ago.
        var end = Min(now.AddHours(-1), plan.Created + TimeSpan.FromDays(Math.Max(1, steps.Count * random.Next(2, 9))));
        for (var step = 0; step < steps.Count; step++)
        {
            var at = plan.Created + ((end - plan.Created) * (step + 1) / (steps.Count + 1)) + TimeSpan.FromMinutes(random.Next(0, 30));
            await using var past = DemoClock.At(services, Time.Truncate(at), worker);
            await steps[step](new StepContext(past, lead.Id, plan, now, random), cancellationToken);
        }
    }

    private sealed record StepContext(DemoClock Past, Guid LeadId, Plan Plan, DateTime Now, Random Random);

    private delegate Task Step(StepContext context, CancellationToken cancellationToken);

    private static List<Step> Steps(Story story, int maxFollowUps) => story switch
    {
        Story.New => [],
        Story.Contacted => [Call("Introductory call", InteractionOutcome.LeftMessage), Email("Following up on your enquiry")],
        Story.Talking => [Call("Introductory call", InteractionOutcome.NoAnswer), Reply("Re: Following up on your enquiry")],
        Story.FollowUpBooked => [Call("Introductory call", InteractionOutcome.Successful), Reply("Re: Quote"), ScheduleFollowUp],
        Story.Qualified => [Call("Discovery call", InteractionOutcome.Successful), Reply("Re: Discovery call"), Meeting("Needs walk-through"), Qualify],
        Story.ConvertedWithDeal => [Call("Discovery call", InteractionOutcome.Successful), Reply("Re: Proposal"), Meeting("Proposal review"), Qualify, Convert(withDeal: true)],
        Story.Converted => [Call("Introductory call", InteractionOutcome.Successful), Reply("Re: Your quote"), Convert(withDeal: false)],
        Story.Disqualified => [Call("Introductory call", InteractionOutcome.Successful), Reply("Re: Introductory call"), Disqualify],
        Story.Lost => [Call("Discovery call", InteractionOutcome.Successful), Reply("Re: Proposal"), Email("Checking in on the proposal"), Lose],
        // Chased as often as the lead settings allow with no answer: the last touch makes it unresponsive.
        Story.Unresponsive => [.. Enumerable.Range(0, maxFollowUps).Select(n => n % 2 == 0 ? Call("Follow-up call", InteractionOutcome.NoAnswer) : Email("Just checking in"))],
        _ => throw new ArgumentOutOfRangeException(nameof(story)),
    };

    private static Step Call(string subject, InteractionOutcome outcome) =>
        (context, token) => TouchAsync(context, InteractionType.Call, Direction.Outbound, subject, outcome, token);

    private static Step Email(string subject) =>
        (context, token) => TouchAsync(context, InteractionType.Email, Direction.Outbound, subject, InteractionOutcome.Completed, token);

    private static Step Meeting(string subject) =>
        (context, token) => TouchAsync(context, InteractionType.Meeting, Direction.Outbound, subject, InteractionOutcome.Successful, token);

    /// <summary>The lead writes back: the follow-up count starts again and qualification begins.</summary>
    private static Step Reply(string subject) =>
        (context, token) => TouchAsync(context, InteractionType.Email, Direction.Inbound, subject, InteractionOutcome.Successful, token);

    private static async Task TouchAsync(
        StepContext context, InteractionType type, Direction direction, string subject, InteractionOutcome outcome, CancellationToken cancellationToken)
    {
        var db = context.Past.Db;
        var request = new LeadInteractionRequest(type, direction, subject, null, db.Clock.GetUtcNow(), outcome);
        Expect(await LogLeadInteraction.RunAsync(context.LeadId, request, db, cancellationToken), "touched");
    }

    private static async Task ScheduleFollowUp(StepContext context, CancellationToken cancellationToken)
    {
        var at = context.Now.Date.AddDays(context.Random.Next(1, 10)).AddHours(context.Random.Next(9, 17));
        Expect(await ScheduleLeadFollowUp.RunAsync(context.LeadId, new ScheduleLeadFollowUp.Request(at), null, context.Past.Db, cancellationToken), "scheduled");
    }

    private static async Task Qualify(StepContext context, CancellationToken cancellationToken) =>
        Expect(await QualifyLead.RunAsync(context.LeadId, new LeadStates.ReasonRequest("Budget confirmed and the decision maker was in the meeting"), null, context.Past.Db, cancellationToken), "qualified");

    private static async Task Disqualify(StepContext context, CancellationToken cancellationToken) =>
        Expect(await DisqualifyLead.RunAsync(context.LeadId, new LeadStates.ReasonRequest(DisqualifyReasons[context.Random.Next(DisqualifyReasons.Length)]), null, context.Past.Db, cancellationToken), "disqualified");

    private static async Task Lose(StepContext context, CancellationToken cancellationToken) =>
        Expect(await LoseLead.RunAsync(context.LeadId, new LeadStates.ReasonRequest(LostReasons[context.Random.Next(LostReasons.Length)]), null, context.Past.Db, cancellationToken), "lost");

    /// <summary>The lead becomes a customer (and a contact, and an account for a company), its touches its interactions; with a deal, one opened on the default pipeline.</summary>
    private static Step Convert(bool withDeal) => async (context, cancellationToken) =>
    {
        var db = context.Past.Db;
        var today = DateOnly.FromDateTime(db.Clock.UtcNow());
        var plan = context.Plan;
        var deal = withDeal
            ? new ConvertLead.DealPart(
                Businesses.FirstOrDefault(b => b.Needs == plan.Request.Needs).Deal ?? "First order", plan.Request.BudgetAmount, "USD", null, null,
                today.AddDays(context.Random.Next(20, 90)), null)
            : null;
        // Demo names are unique, so a near match among the customers is a namesake, not the same person.
        var request = new ConvertLead.Request(new ConvertLead.CustomerPart(null, null, null, null, AllowDuplicate: true), null, deal);
        Expect(await ConvertLead.RunAsync(context.LeadId, request, db, context.Past.GetRequiredService<DuplicateDetector>(), cancellationToken), "converted");
    };

    private static CreateLead.Request Request(Person person, Story story, int index, Random random)
    {
        // Leads that get far were promising from the start: clearer need, budget and authority.
        var promising = story is Story.Qualified or Story.ConvertedWithDeal or Story.Converted or Story.FollowUpBooked
            || (story == Story.New && index % 3 == 0);
        var business = Businesses[random.Next(Businesses.Length)];
        var company = story != Story.Converted && random.Next(4) != 0 ? $"{person.Last} {business.Business}" : null;
        var (country, dial) = Countries[random.Next(Countries.Length)];
        var source = Sources[random.Next(Sources.Length)];
        var mailbox = $"{Slug(person.First)}.{Slug(person.Last)}";
        var email = company is null ? $"{mailbox}@mail.example" : $"{mailbox}@{Slug(company)}.example";
        return new CreateLead.Request(
            person.First,
            person.Last,
            email,
            random.Next(3) == 0 ? null : dial + random.Next(100, 1000).ToString(CultureInfo.InvariantCulture),
            company,
            company is null ? null : promising ? "Owner" : "Office Manager",
            country,
            source,
            source == LeadSourceType.Website ? "Contact us form" : source == LeadSourceType.Referral ? "Referred by a customer" : null,
            source == LeadSourceType.Website ? new CreateLead.Utm("google", "cpc", "spring-repairs", null, null) : null,
            source == LeadSourceType.Website ? "https://www.example.com/contact" : null,
            null,
            company is null ? PrivateNeeds[random.Next(PrivateNeeds.Length)] : business.Needs,
            random.Next(promising ? 20 : 2, promising ? 120 : 14) * 100m,
            "USD",
            promising ? LeadAuthority.DecisionMaker : (LeadAuthority)random.Next(0, 3),
            promising ? LeadNeed.High : (LeadNeed)random.Next(0, 3),
            promising ? (PurchaseTimeline)random.Next(1, 3) : (PurchaseTimeline)random.Next(3, 6),
            promising ? Urgency.High : (Urgency)random.Next(0, 3),
            null);
    }

    /// <summary>When the lead came in: new ones this week, worked ones weeks ago, closed ones (converted, lost) months ago.</summary>
    private static DateTime Created(Story story, DateTime now, Random random)
    {
        var (from, to) = story switch
        {
            Story.New => (0, 4),
            Story.Contacted or Story.Talking or Story.FollowUpBooked => (6, 40),
            Story.Qualified or Story.Unresponsive => (20, 90),
            Story.Disqualified or Story.Lost => (30, 240),
            _ => (45, 420),
        };
        return DemoCalendar.WorkingHours(now, from + (random.NextDouble() * (to - from)), random);
    }

    private static UpdateLead.Request AssignTo(Guid userId) => new(
        default, default, default, default, default, default, default, default, default, default,
        default, default, default, default, default, default, default, default, default, new Optional<Guid?>(userId));

    private static T Expect<T>(Result<T> result, string what) =>
        result.Succeeded ? result.Value! : throw new InvalidOperationException($"A demo lead could not be {what}: " + (result.Failure is Failure.Invalid invalid
            ? string.Join("; ", invalid.Errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}"))
            : result.Failure!.Detail));

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static string Slug(string text) => new(Matching.Fold(text).ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
}
