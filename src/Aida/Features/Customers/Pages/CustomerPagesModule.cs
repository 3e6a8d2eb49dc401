namespace Aida.Features.Customers.Pages;

/// <summary>The customer management screens (spec 002): pages for people signed in with the session cookie.</summary>
public static class CustomerPagesModule
{
    public static IEndpointRouteBuilder MapCustomerPages(this IEndpointRouteBuilder app)
    {
        // Reading needs customers.viewOwn (record access then narrows what is found); changing, editProfile.
        const string Edit = Permissions.CustomersEditProfile;
        var pages = app.MapGroup("").RequirePagePermission(Permissions.CustomersViewOwn).ExcludeFromDescription();

        pages.MapGet("/customers", CustomerListPages.List);
        pages.MapPost("/customers/bulk", CustomerListPages.Confirm).RequirePagePermission(Edit);
        pages.MapPost("/customers/bulk/apply", CustomerListPages.Apply).RequirePagePermission(Edit);
        pages.MapGet("/customers/picker", CustomerPicking.Suggest);
        pages.MapGet("/customers/new", CustomerFormPages.New).RequirePagePermission(Edit);
        pages.MapPost("/customers/new", CustomerFormPages.Create).RequirePagePermission(Edit);

        // The customer itself ({id}); the records that hang off it name it {customerId}, as in the API.
        var customer = pages.MapGroup("/customers/{id:guid}");
        customer.MapGet("", CustomerDetailPages.Show);
        customer.MapGet("/edit", CustomerFormPages.Edit).RequirePagePermission(Edit);
        customer.MapPost("/edit", CustomerFormPages.Update).RequirePagePermission(Edit);
        customer.MapPost("/status", CustomerDetailPages.SetStatus).RequirePagePermission(Edit);
        customer.MapGet("/delete", CustomerDetailPages.ConfirmDelete).RequirePagePermission(Permissions.CustomersDelete);
        customer.MapPost("/delete", CustomerDetailPages.Delete).RequirePagePermission(Permissions.CustomersDelete);
        customer.MapGet("/merge", MergePages.Compare).RequirePagePermission(Edit);
        customer.MapPost("/merge/preview", MergePages.Preview).RequirePagePermission(Edit);
        customer.MapPost("/merge", MergePages.Merge).RequirePagePermission(Edit);
        pages.MapPost("/merges/{mergeId:guid}/undo", MergePages.Undo).RequirePagePermission(Edit);
        customer.MapGet("/hierarchy", HierarchyPages.Show);
        customer.MapPost("/hierarchy", HierarchyPages.Move).RequirePagePermission(Edit);

        var records = pages.MapGroup("/customers/{customerId:guid}");
        records.MapGet("/account/edit", AccountPages.Edit).RequirePagePermission(Edit);
        records.MapPost("/account/edit", AccountPages.Save).RequirePagePermission(Edit);

        records.MapGet("/contacts/new", (Guid customerId, HttpContext http, AidaDb db, CancellationToken ct) => ContactPages.New(http, db, customerId, ct))
            .RequirePagePermission(Edit);
        records.MapGet("/contacts/{contactId:guid}/edit", ContactPages.Edit).RequirePagePermission(Edit);
        records.MapPost("/contacts/{contactId:guid}/edit", ContactPages.Update).RequirePagePermission(Edit);
        records.MapPost("/contacts/{contactId:guid}/primary", ContactPages.MakePrimary).RequirePagePermission(Edit);
        records.MapPost("/contacts/{contactId:guid}/delete", ContactPages.Delete).RequirePagePermission(Edit);

        records.MapGet("/addresses/new", AddressPages.New).RequirePagePermission(Edit);
        records.MapPost("/addresses/new", AddressPages.Create).RequirePagePermission(Edit);
        records.MapGet("/addresses/{addressId:guid}/edit", AddressPages.Edit).RequirePagePermission(Edit);
        records.MapPost("/addresses/{addressId:guid}/edit", AddressPages.Update).RequirePagePermission(Edit);
        records.MapPost("/addresses/{addressId:guid}/default", AddressPages.MakeDefault).RequirePagePermission(Edit);
        records.MapPost("/addresses/{addressId:guid}/delete", AddressPages.Delete).RequirePagePermission(Edit);

        records.MapPost("/relationships/new", RelationshipPages.Create).RequirePagePermission(Edit);
        records.MapPost("/relationships/{relationshipId:guid}/delete", RelationshipPages.Delete).RequirePagePermission(Edit);

        pages.MapGet("/contacts", ContactListPages.List);
        pages.MapGet("/contacts/new", (HttpContext http, AidaDb db, CancellationToken ct) => ContactPages.New(http, db, null, ct))
            .RequirePagePermission(Edit);
        pages.MapPost("/contacts/new", ContactPages.Create).RequirePagePermission(Edit);

        var duplicates = pages.MapGroup("/duplicates").RequirePagePermission(Permissions.CustomersReviewDuplicates);
        duplicates.MapGet("", DuplicatePages.List);
        duplicates.MapPost("/{pairId:guid}/dismiss", DuplicatePages.Dismiss);
        duplicates.MapPost("/{pairId:guid}/defer", DuplicatePages.Defer);
        duplicates.MapPost("/{pairId:guid}/reopen", DuplicatePages.Reopen);

        pages.MapGet("/search", SearchPages.Results);
        pages.MapGet("/search/suggestions", SearchPages.Suggestions);
        return app;
    }
}
