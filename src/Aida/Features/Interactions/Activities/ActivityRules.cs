using Aida.Features.Interactions;

namespace Aida.Features.Interactions.Activities;

public static class ActivityRules
{
    /// <summary>A reminder after the due time would remind too late to matter.</summary>
    public static void Reminder(ValidationErrors errors, DateTime due, DateTime? reminder)
    {
        if (reminder is { } at && at > due)
        {
            errors.Add("reminderAt", "Must be at or before the due date.");
        }
    }

    /// <summary>Work goes to an active user in the actor's reach (themselves, their team, a team they manage), as customers do.</summary>
    public static async Task AssigneeAsync(AidaDb db, Guid assignee, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (assignee == db.Operation.ActorId)
        {
            return;
        }

        await Owners.CheckAsync(db, assignee, errors, "assignedTo", cancellationToken, records: "activities");
    }

    public static async Task CustomerAndContactAsync(AidaDb db, Guid? customerId, Guid? contactId, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (customerId is null)
        {
            if (contactId is not null)
            {
                errors.Add("contactId", "Needs the contact's customer in customerId.");
            }

            return;
        }

        await InteractionRules.CheckCustomerAndContactAsync(db, customerId, contactId, errors, cancellationToken);
    }

    /// <summary>The kind of interaction that completing an activity of this type records.</summary>
    public static InteractionType ResultType(ActivityType type) => type switch
    {
        ActivityType.Call => InteractionType.Call,
        ActivityType.Email => InteractionType.Email,
        ActivityType.Meeting or ActivityType.Demo => InteractionType.Meeting,
        _ => InteractionType.Other,
    };

    /// <summary>The follow-up an interaction of this type calls for (WF-IT-003 step 1).</summary>
    public static ActivityType FollowUpType(InteractionType type) => type switch
    {
        InteractionType.Call => ActivityType.Call,
        InteractionType.Email => ActivityType.Email,
        InteractionType.Meeting or InteractionType.InPerson => ActivityType.Meeting,
        _ => ActivityType.FollowUp,
    };
}
