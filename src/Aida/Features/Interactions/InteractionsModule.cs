using Aida.Features.Interactions.Activities;
using Aida.Features.Interactions.Communications;
using Aida.Features.Interactions.Email;
using Aida.Features.Interactions.Notes;
using Aida.Features.Interactions.Notifications;
using Aida.Features.Interactions.Pages;
using Aida.Platform.Jobs;
using Aida.Platform.Search;

namespace Aida.Features.Interactions;

/// <summary>Interaction tracking (spec 002): interactions, notes, activities, communications, the customer timeline, notifications and search.</summary>
public static class InteractionsModule
{
    public static IServiceCollection AddInteractions(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CommunicationOptions>(configuration.GetSection("Communications"));
        // A demo server has no mail domain of its own; the demo admin's stands in, so that a message it sends is
        // outbound and can be tracked, as the README's API walkthrough (docs/walkthrough.sh) does. Configured domains win.
        services.PostConfigure<CommunicationOptions>(options =>
        {
            if (options.InternalDomains.Length == 0 && configuration.GetValue("Demo", false))
            {
                options.InternalDomains = [DemoAdmin.Email[(DemoAdmin.Email.IndexOf('@', StringComparison.Ordinal) + 1)..]];
            }
        });
        services.Configure<ReminderOptions>(configuration.GetSection("Reminders"));
        services.AddScheduledJob<ActivityReminders>();
        services.AddSingleton<IEventReaction, Notifications.WebhookDisabledNotifications>();
        services.Configure<NotificationOptions>(configuration.GetSection("Notifications"));
        services.AddSingleton<NotificationMailer>();
        services.AddScheduledJob<NotificationDigestJob>();
        services.AddSingleton<IProfileSection, Pages.NotificationPreferencesProfileSection>();
        services.AddScoped<Platform.Ui.ILayoutCounts, LayoutCounts>();
        services.AddSingleton<Customers.ICustomerDependents, Activities.ActivitiesOfDeletedCustomer>();
        services.AddSingleton<ISearchSource, InteractionSearch>();
        services.AddSingleton<Customers.Pages.ICustomerTab, TimelineCustomerTab>();
        // Checks the record a note or interaction is about; Leads and Deals register what they keep (ILinkableRecords).
        services.AddSingleton<RelatedRecords>();
        services.AddEmail(configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapInteractions(this IEndpointRouteBuilder app)
    {
        // Reading needs customers.viewOwn and record-level access narrows it (InteractionAccess); logging
        // and scheduling need customers.editProfile, like any change to a customer's records.
        const string Edit = Permissions.CustomersEditProfile;
        var api = app.MapGroup("/api/v1").WithIdempotency().RequirePermission(Permissions.CustomersViewOwn);

        var interactions = api.MapGroup("/interactions").WithTags("Interactions");
        interactions.MapPost("/", LogInteraction.Handle).WithName("Interactions_Log").RequirePermission(Edit)
            .WithSummary("Log an interaction (WF-IT-001). An externalId already stored answers 200 with the stored interaction (sync dedupe).");
        interactions.MapGet("/", ListInteractions.Handle).WithName("Interactions_List")
            .WithSummary("Interactions newest first, by customerId, contactId, type and from/to; cursor-paged.");
        interactions.MapGet("/{id:guid}", GetInteraction.Handle).WithName("Interactions_Get").WithSummary("Get an interaction.");
        interactions.MapPatch("/{id:guid}", UpdateInteraction.Handle).WithName("Interactions_Update").WithSummary("Change an interaction (merge-patch).").RequirePermission(Edit);
        interactions.MapDelete("/{id:guid}", DeleteInteraction.Handle).WithName("Interactions_Delete").RequirePermission(Edit)
            .WithSummary("Soft-delete: by whoever logged it, or with customers.delete.");
        interactions.MapGet("/{id:guid}/follow-up", FollowUpDraft.Handle).WithName("Interactions_FollowUpDraft")
            .WithSummary("A follow-up activity drafted from the interaction (WF-IT-003): type, text, and the due date its notes suggest.");

        var notes = api.MapGroup("/notes").WithTags("Notes");
        notes.MapPost("/", CreateNote.Handle).WithName("Notes_Create").RequirePermission(Edit)
            .WithSummary("Add a Markdown note. Content that looks like a card or national id number is saved, flagged for review and warned about (Aida-Warning).");
        notes.MapGet("/", ListNotes.Handle).WithName("Notes_List").WithSummary("A customer's notes the actor may read, pinned first.");
        notes.MapGet("/{id:guid}", GetNote.Handle).WithName("Notes_Get").WithSummary("Get a note you may read.");
        notes.MapPatch("/{id:guid}", UpdateNote.Handle).WithName("Notes_Update").RequirePermission(Edit)
            .WithSummary("The author may change anything; others who can read the note may pin or unpin it.");
        notes.MapDelete("/{id:guid}", DeleteNote.Handle).WithName("Notes_Delete").WithSummary("Delete a note (its author, or with customers.delete).").RequirePermission(Edit);

        var activities = api.MapGroup("/activities").WithTags("Activities");
        activities.MapPost("/", CreateActivity.Handle).WithName("Activities_Create").WithSummary("Schedule an activity (task, call, email, meeting, demo or follow-up) with due date, reminder and assignee.").RequirePermission(Edit);
        activities.MapGet("/", ListActivities.Handle).WithName("Activities_List")
            .WithSummary("Activities soonest due first: assignedTo (me by default), customerId, status, due=overdue|today|upcoming.");
        activities.MapGet("/{id:guid}", GetActivity.Handle).WithName("Activities_Get").WithSummary("Get an activity.");
        activities.MapPatch("/{id:guid}", UpdateActivity.Handle).WithName("Activities_Update").WithSummary("Change an activity (merge-patch): reschedule, reassign, reprioritise or cancel.").RequirePermission(Edit);
        activities.MapDelete("/{id:guid}", DeleteActivity.Handle).WithName("Activities_Delete").WithSummary("Delete an activity (soft delete).").RequirePermission(Edit);
        activities.MapPost("/{id:guid}/complete", CompleteActivity.Handle).WithName("Activities_Complete").RequirePermission(Edit)
            .WithSummary("Complete the activity and log its result as an interaction of its customer, in one transaction.");

        var communications = api.MapGroup("/communications").WithTags("Communications");
        communications.MapPost("/", ReceiveCommunication.Handle).WithName("Communications_Receive").RequirePermission(Edit)
            .WithSummary("Hand over an email, SMS or chat message: deduplicated by Message-ID, threaded, matched to a contact or customer (across the whole CRM), else queued as unmatched. 201 with the message when the caller may see where it went; 202 {status: accepted} and nothing more when it went out of the caller's reach.");
        communications.MapGet("/unmatched", ListUnmatched.Handle).WithName("Communications_Unmatched")
            .WithSummary("Messages that matched no customer (visible to managers and admins).");
        communications.MapGet("/{id:guid}", GetCommunication.Handle).WithName("Communications_Get").WithSummary("Get a received or sent message.");
        communications.MapGet("/{id:guid}/thread", GetThread.Handle).WithName("Communications_Thread").WithSummary("The message's thread, oldest first.");
        communications.MapPost("/{id:guid}/tracking", TrackCommunication.Handle).WithName("Communications_Track").RequirePermission(Edit)
            .WithSummary("Report an open, click or bounce of a sent message; a hard bounce marks the contact's address undeliverable.");
        communications.MapPost("/{id:guid}/assign", AssignCommunication.Handle).WithName("Communications_Assign").RequirePermission(Edit)
            .WithSummary("Assign an unmatched message to a customer: it is logged as the customer's interaction.");

        api.MapGet("/customers/{customerId:guid}/timeline", Timeline.Handle).WithName("Customers_Timeline").WithTags("Timeline")
            .WithSummary("The customer's timeline: interactions, completed activities, notes (pinned first) and changes; types, from/to (default 90 days), actor; cursor-paged.");

        api.MapGet("/search", SearchEndpoint.Handle).WithName("Search").WithTags("Search")
            .WithSummary("Full-text search over customers, contacts, interactions and notes, honouring access and note visibility.");

        var notifications = api.MapGroup("/notifications").WithTags("Notifications");
        notifications.MapGet("/", ListNotifications.Handle).WithName("Notifications_List").WithSummary("Your notifications, newest first, with the unread count.");
        notifications.MapPost("/{id:guid}/read", MarkNotificationRead.Handle).WithName("Notifications_MarkRead").WithSummary("Mark one notification read.");
        notifications.MapPost("/read-all", MarkAllNotificationsRead.Handle).WithName("Notifications_MarkAllRead").WithSummary("Mark all your notifications read.");
        var preferences = api.MapGroup("/me/notification-preferences").WithTags("Notifications");
        preferences.MapGet("/", NotificationPreferences.Get).WithName("Notifications_GetPreferences")
            .WithSummary("Your notification preferences: every kind with the channels it reaches you on (in_app, email), and whether the daily digest is on.");
        preferences.MapPut("/", NotificationPreferences.Put).WithName("Notifications_SetPreferences")
            .WithSummary("Set the channels of the kinds listed ([] for none; kinds left out keep theirs) and dailyDigest. An unknown kind or channel is a 400 naming the field.");

        app.MapEmail();
        app.MapInteractionPages();
        return app;
    }
}
