namespace Aida.Features.Interactions.Pages;

public static class InteractionPagesModule
{
    public static IEndpointRouteBuilder MapInteractionPages(this IEndpointRouteBuilder app)
    {
        const string Edit = Permissions.CustomersEditProfile;
        var pages = app.MapGroup("").RequirePagePermission(Permissions.CustomersViewOwn).ExcludeFromDescription();

        var customer = pages.MapGroup("/customers/{customerId:guid}");
        customer.MapGet("/timeline/entries", TimelinePages.Entries);
        customer.MapGet("/interactions/new", InteractionPages.New).RequirePagePermission(Edit);
        customer.MapPost("/interactions/new", InteractionPages.Create).RequirePagePermission(Edit);
        customer.MapPost("/interactions/call-completed", InteractionPages.CallCompleted).RequirePagePermission(Edit);
        customer.MapGet("/notes/new", NotePages.New).RequirePagePermission(Edit);
        customer.MapPost("/notes/new", NotePages.Create).RequirePagePermission(Edit);
        customer.MapGet("/activities/new", ActivityPages.New).RequirePagePermission(Edit);
        customer.MapPost("/activities/new", ActivityPages.Create).RequirePagePermission(Edit);

        pages.MapGet("/interactions/{id:guid}", InteractionPages.Show);
        pages.MapGet("/interactions/{id:guid}/edit", InteractionPages.Edit).RequirePagePermission(Edit);
        pages.MapPost("/interactions/{id:guid}/edit", InteractionPages.Update).RequirePagePermission(Edit);
        pages.MapPost("/interactions/{id:guid}/delete", InteractionPages.Delete).RequirePagePermission(Edit);
        pages.MapGet("/interactions/{interactionId:guid}/follow-up", ActivityPages.FollowUp).RequirePagePermission(Edit);

        pages.MapGet("/notes/{id:guid}", NotePages.Show);
        pages.MapGet("/notes/{id:guid}/edit", NotePages.Edit).RequirePagePermission(Edit);
        pages.MapPost("/notes/{id:guid}/edit", NotePages.Update).RequirePagePermission(Edit);
        pages.MapPost("/notes/{id:guid}/pin", NotePages.Pin).RequirePagePermission(Edit);
        pages.MapPost("/notes/{id:guid}/delete", NotePages.Delete).RequirePagePermission(Edit);

        pages.MapGet("/activities", ActivityPages.MyActivities);
        pages.MapGet("/activities/{id:guid}", ActivityPages.Show);
        pages.MapPost("/activities/{id:guid}/complete", ActivityPages.Complete).RequirePagePermission(Edit);
        pages.MapPost("/activities/{id:guid}/reschedule", ActivityPages.Reschedule).RequirePagePermission(Edit);

        pages.MapGet("/communications/unmatched", UnmatchedPages.List);
        pages.MapGet("/communications/{id:guid}/assign", UnmatchedPages.Assign).RequirePagePermission(Edit);
        pages.MapPost("/communications/{id:guid}/assign", UnmatchedPages.Save).RequirePagePermission(Edit);

        pages.MapGet("/notifications", NotificationPages.List);
        pages.MapPost("/notifications/{id:guid}/open", NotificationPages.Open);
        pages.MapPost("/notifications/read-all", NotificationPages.ReadAll);
        pages.MapPost("/account/notifications", NotificationPreferencePages.Save);
        return app;
    }
}
