using Aida.Features.Customers.Contacts;
using Aida.Features.Customers;
using Aida.Features.Interactions.Activities;
using Aida.Features.Interactions.Notifications;

namespace Aida.DemoData;

/// <summary>
/// A day's work for the person trying the demo (the admin <c>serve --demo</c> creates): calls and tasks on demo
/// customers, some overdue, some due later today, some in the coming days, a few with reminders. The reminders
/// already due are sent by the product's own reminder job, so My activities and Notifications are not empty on
/// the first sign-in. The same customers and tasks every time.
/// </summary>
internal static class DemoWorkingDay
{
    private static readonly (ActivityType Type, string Subject, ActivityPriority Priority)[] Work =
    [
        (ActivityType.Call, "Call back about the renewal terms", ActivityPriority.High),
        (ActivityType.Email, "Send the revised quote", ActivityPriority.Normal),
        (ActivityType.Call, "Check in after the onboarding", ActivityPriority.Normal),
        (ActivityType.Task, "Prepare the quarterly business review", ActivityPriority.High),
        (ActivityType.Meeting, "Walk the operations team through the new reporting", ActivityPriority.Normal),
        (ActivityType.FollowUp, "Follow up: support escalation", ActivityPriority.Urgent),
        (ActivityType.Demo, "Demo for the warehouse staff", ActivityPriority.Normal),
        (ActivityType.Email, "Ask for a case study in return for the discount", ActivityPriority.Low),
    ];

    public static async Task GiveAsync(IServiceProvider services, Guid userId, CancellationToken cancellationToken)
    {
        var random = new Random(DemoSeeder.DefaultSeed);
        await using (var past = DemoClock.At(services, services.GetRequiredService<TimeProvider>().UtcNow(), (userId, "Demo Admin")))
        {
            var db = past.Db;
            var now = db.Clock.UtcNow();
            if (await db.Set<Activity>().AnyAsync(a => a.AssignedTo == userId, cancellationToken))
            {
                return;
            }

            var customers = await DemoCalendar.StableOrder(db.Set<Customer>()).Take(Work.Length * 4)
                .Select(c => new
                {
                    c.Id,
                    Contact = db.Set<Contact>().Where(p => p.CustomerId == c.Id && p.IsPrimary).Select(p => (Guid?)p.Id).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken);
            if (customers.Count == 0)
            {
                return;
            }

            // In the admin's own day (their time zone): two overdue, three later today, the rest in the days ahead.
            var (_, endOfToday) = await ListActivities.TodayAsync(db, now, cancellationToken);
            await using var transaction = await db.BeginWriteAsync(cancellationToken);
            for (var i = 0; i < Work.Length; i++)
            {
                var (type, subject, priority) = Work[i];
                var customer = customers[(i * 4) % customers.Count];
                var due = i switch
                {
                    < 2 => now - TimeSpan.FromHours(random.Next(3, 72)),
                    < 5 => now + ((endOfToday - now) * (i - 1) / 4),
                    _ => endOfToday + TimeSpan.FromDays(random.Next(0, 7)) + TimeSpan.FromHours(random.Next(9, 17)),
                };
                due = Time.Truncate(due);
                var activity = new Activity
                {
                    CustomerId = customer.Id,
                    ContactId = customer.Contact,
                    ActivityType = type,
                    Subject = subject,
                    DueDate = due,
                    // The overdue ones and the first of today's have reminded already (sent below); an upcoming one
                    // reminds an hour before it is due, when the reminder job comes to it.
                    ReminderAt = i < 3 ? Time.Truncate(Min(due - TimeSpan.FromHours(1), now - TimeSpan.FromMinutes(5)))
                        : i == 6 ? Time.Truncate(due - TimeSpan.FromHours(1)) : null,
                    Priority = priority,
                    AssignedTo = userId,
                    CreatedBy = userId,
                    CreatedAt = Time.Truncate(Min(due, now) - TimeSpan.FromDays(random.Next(1, 8))),
                };
                db.Add(activity);
                db.Publish("activity.created", ActivityMapping.Subject(activity), () => new { activity = activity.ToResponse(now) });
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await services.GetRequiredService<ActivityReminders>().RunOnceAsync(cancellationToken);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
