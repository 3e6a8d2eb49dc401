using Aida.Features.Customers.Contacts;
using Aida.Features.Customers;
using Aida.Features.Interactions.Activities;
using Aida.Features.Interactions.Communications;
using Aida.Features.Interactions.Notes;
using Aida.Features.Interactions;
using Aida.Platform.Hosting;

namespace Aida.DemoData;

/// <summary>
/// Demo history for the demo customers (serve --demo, seed --demo): calls, emails and meetings since each
/// customer came, most of them recent, logged by each customer's owner, notes (some pinned, some private), open activities
/// (overdue, due today, upcoming, some with reminders) and a couple of messages in the unmatched queue,
/// so every screen of interaction tracking has something to show. Deterministic for a given seed.
/// </summary>
public sealed class DemoInteractions : IDemoData
{
    public int Order => 2;

    public string What => "interactions, notes and activities";

    public Task SeedAsync(DemoSeed demo, CancellationToken cancellationToken) =>
        SeedAsync(demo.Services, demo.Users, demo.RandomSeed, cancellationToken);

    private static readonly (InteractionType Type, Direction Direction, string Subject, string Description, InteractionOutcome Outcome)[] Touchpoints =
    [
        (InteractionType.Call, Direction.Outbound, "Discovery call", "Walked through their current process and where it hurts. Budget is set in Q1. Call back next week with a proposal.", InteractionOutcome.FollowUpNeeded),
        (InteractionType.Email, Direction.Outbound, "Proposal sent", "Sent the proposal with three pricing options and the implementation timeline.", InteractionOutcome.Completed),
        (InteractionType.Email, Direction.Inbound, "Re: Proposal sent", "They asked whether onboarding can start before the contract is signed.", InteractionOutcome.Successful),
        (InteractionType.Meeting, Direction.Outbound, "Quarterly business review", "Reviewed usage, renewal date and the roadmap. Positive about the new reporting.", InteractionOutcome.Successful),
        (InteractionType.Call, Direction.Outbound, "Renewal check-in", "No answer; left a voicemail about the renewal terms.", InteractionOutcome.LeftMessage),
        (InteractionType.Call, Direction.Inbound, "Support escalation", "Invoices were exported with the wrong tax rate. Fixed with finance; follow up in 3 days.", InteractionOutcome.FollowUpNeeded),
        (InteractionType.InPerson, Direction.Outbound, "Site visit", "Met the operations team on site; they want a demo for the warehouse staff.", InteractionOutcome.Successful),
        (InteractionType.Chat, Direction.Inbound, "Chat: pricing question", "Asked about volume discounts for more than 50 seats.", InteractionOutcome.Completed),
    ];

    private static readonly (string Title, string Content)[] NoteTexts =
    [
        ("Decision makers", "**Head of operations** decides; finance signs off anything over 10k.\n\n- Prefers email over calls\n- Avoid Friday afternoons"),
        ("Competitors", "Currently evaluating two other vendors. Our edge: the *embedded database* and self-hosting."),
        ("Renewal", "Renewal due at the end of the quarter. Ask for a case study in return for the discount."),
        ("Background", "Came in through a referral from a partner. Very responsive on email."),
    ];

    private static async Task SeedAsync(IServiceProvider services, IReadOnlyList<Guid> users, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed + 6);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var now = db.Clock.UtcNow();
        var customers = await DemoCalendar.StableOrder(db.Set<Customer>()).Take(400)
            .Select(c => new
            {
                c.Id,
                c.OwnerId,
                c.CreatedAt,
                Contact = db.Set<Contact>().Where(p => p.CustomerId == c.Id && p.IsPrimary).Select(p => (Guid?)p.Id).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        if (customers.Count == 0 || users.Count == 0 || await db.Set<Interaction>().AnyAsync(cancellationToken))
        {
            return;
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        foreach (var customer in customers)
        {
            var owner = customer.OwnerId ?? users[random.Next(users.Count)];
            Interaction? last = null;
            for (var i = random.Next(0, 7); i > 0; i--)
            {
                var (type, direction, subject, description, outcome) = Touchpoints[random.Next(Touchpoints.Length)];
                var interaction = new Interaction
                {
                    CustomerId = customer.Id,
                    ContactId = customer.Contact,
                    InteractionType = type,
                    Direction = direction,
                    Subject = subject,
                    Description = description,
                    OccurredAt = Since(customer.CreatedAt, now, random),
                    DurationMinutes = type is InteractionType.Call or InteractionType.Meeting or InteractionType.InPerson ? random.Next(5, 90) : null,
                    Outcome = outcome,
                    Sentiment = (Sentiment)random.Next(3),
                    Source = type == InteractionType.Email ? InteractionSource.EmailSync : InteractionSource.Manual,
                };
                // Logged soon after it happened, as people do; so the demo's history is not all "backdated".
                var logged = interaction.OccurredAt + TimeSpan.FromMinutes(random.Next(1, 120));
                interaction.CreatedAt = logged < now ? logged : now;
                LogInteraction.Add(db, interaction);
                interaction.CreatedBy = owner;
                if (last is null || interaction.OccurredAt > last.OccurredAt)
                {
                    last = interaction;
                }
            }

            if (random.Next(3) == 0)
            {
                var (title, content) = NoteTexts[random.Next(NoteTexts.Length)];
                var note = new Note
                {
                    CustomerId = customer.Id,
                    Title = title,
                    Content = content,
                    IsPinned = random.Next(4) == 0,
                    Visibility = random.Next(5) == 0 ? NoteVisibility.Private : NoteVisibility.Team,
                    CreatedBy = owner,
                    CreatedAt = Since(customer.CreatedAt, now, random),
                };
                db.Add(note);
                db.Publish("note.created", NoteMapping.Subject(note), note.ToEvent);
            }

            if (random.Next(3) == 0)
            {
                // Open work: some overdue, some today, some later; half with a reminder an hour before.
                var due = now + TimeSpan.FromHours(random.Next(-72, 24 * 14));
                var activity = new Activity
                {
                    CustomerId = customer.Id,
                    ContactId = customer.Contact,
                    ActivityType = last is null ? ActivityType.Call : ActivityRules.FollowUpType(last.InteractionType),
                    Subject = last is null ? "Introductory call" : "Follow up: " + last.Subject,
                    Description = last?.Description,
                    DueDate = due,
                    ReminderAt = random.Next(2) == 0 && due > now ? due - TimeSpan.FromHours(1) : null,
                    Priority = (ActivityPriority)random.Next(4),
                    AssignedTo = owner,
                    CreatedBy = owner,
                    SourceInteractionId = last?.Id,
                    // Scheduled when the touch it follows up was logged, or lately for an introductory call.
                    CreatedAt = last?.CreatedAt ?? Since(customer.CreatedAt, now, random),
                };
                if (activity.CreatedAt >= due)
                {
                    activity.CreatedAt = Since(customer.CreatedAt, due, random);
                }

                db.Add(activity);
                db.Publish("activity.created", ActivityMapping.Subject(activity), () => new { activity = activity.ToResponse(now) });
            }
        }

        foreach (var (from, subject) in new[] { ("jamie@unknown-prospect.example", "Do you integrate with our ERP?"), ("press@newsdesk.example", "Interview request") })
        {
            var message = new Communication
            {
                Channel = CommunicationChannel.Email,
                Direction = Direction.Inbound,
                MatchStatus = MatchStatus.Unmatched,
                FromAddress = from,
                To = ["sales@demo.aida.invalid"],
                Cc = [],
                Subject = subject,
                BodyText = "Hello, could someone get back to me about this? Thanks.",
                MessageId = $"{Guid.NewGuid():N}@{from.Split('@')[1]}",
                SentAt = now - TimeSpan.FromHours(random.Next(1, 48)),
            };
            message.ThreadId = message.MessageId;
            db.Add(message);
            db.Publish("communication.received", CommunicationMapping.Subject(message), message.ToEvent);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A moment between the customer's creation and <paramref name="until"/>, later ones likelier (a square root
    /// of a uniform draw): people talk to their current customers more than they did years ago.
    /// </summary>
    private static DateTime Since(DateTime created, DateTime until, Random random) =>
        until <= created ? created : Time.Truncate(created + TimeSpan.FromSeconds(Math.Sqrt(random.NextDouble()) * (until - created).TotalSeconds));
}
