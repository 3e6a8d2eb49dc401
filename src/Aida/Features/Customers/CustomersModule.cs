using Aida.Platform.Jobs;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Duplicates;
using Aida.Features.Customers.Merges;
using Aida.Features.Customers.Pages;
using Aida.Features.Customers.Relationships;

namespace Aida.Features.Customers;

/// <summary>Customer management (spec 002): customers and their contacts, addresses, account and relationships.</summary>
public static class CustomersModule
{
    public static IServiceCollection AddCustomers(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DuplicateOptions>(configuration.GetSection("Duplicates"));
        services.AddScoped<DuplicateDetector>();
        services.AddHostedService<BlockingKeyBackfill>();
        services.Configure<DuplicateScanOptions>(configuration.GetSection("Duplicates:Scan"));
        services.AddSingleton<DuplicateScan>();
        services.AddScheduledJob<DuplicateScanJob>();
        services.AddSingleton<IDuplicateRecords, CustomerDuplicateRecords>();
        services.AddSingleton<IOwnerReassignment, CustomerOwnerReassignment>();
        services.AddSingleton<Platform.Search.ISearchSource, CustomerSearch>();
        services.AddSingleton<Platform.Search.ISearchCustomers, CustomerSearch>();
        return services;
    }

    public static IEndpointRouteBuilder MapCustomers(this IEndpointRouteBuilder app)
    {
        // Reading needs customers.viewOwn (every role has it); record-level access then narrows what is
        // found (CustomerAccess). Changing needs customers.editProfile; deleting customers.delete.
        const string Edit = Permissions.CustomersEditProfile;
        var customers = app.MapGroup("/api/v1/customers").WithTags("Customers").WithIdempotency()
            .RequirePermission(Permissions.CustomersViewOwn);
        customers.MapPost("/", CreateCustomer.Handle).WithName("Customers_Create").RequirePermission(Edit)
            .WithSummary("Create a customer, optionally with its primary contact, account and addresses; 409 with candidates when it may be a duplicate.");
        customers.MapGet("/", ListCustomers.Handle).WithName("Customers_List")
            .WithSummary("Search and filter customers; cursor-paged.");
        customers.MapGet("/{id:guid}", GetCustomer.Handle).WithName("Customers_Get").WithSummary("Get a customer with its primary contact and account.");
        customers.MapPatch("/{id:guid}", UpdateCustomer.Handle).WithName("Customers_Update").RequirePermission(Edit)
            .WithSummary("Change a customer (merge-patch). Deactivate with status=inactive.");
        customers.MapDelete("/{id:guid}", DeleteCustomer.Handle).WithName("Customers_Delete").RequirePermission(Permissions.CustomersDelete)
            .WithSummary("Soft-delete a customer with its contacts, addresses, account and relationships.");

        customers.MapPost("/merge/preview", MergeCustomers.HandlePreview).WithName("Customers_MergePreview").RequirePermission(Edit)
            .WithSummary("Compare 2–10 customers field by field for a merge: each one's value, the conflicts, and what the survivor would keep. Changes nothing.");
        customers.MapPost("/merge", MergeCustomers.Handle).WithName("Customers_Merge").RequirePermission(Edit)
            .WithSummary("Merge 2–10 customers into the survivor: chosen values kept, children moved, the others soft-deleted (their ids redirect). Undoable for 30 days.");
        var merges = app.MapGroup("/api/v1/merges").WithTags("Customers").WithIdempotency()
            .RequirePermission(Permissions.CustomersViewOwn);
        merges.MapGet("/{id:guid}", GetMerge.Handle).WithName("Merges_Get").WithSummary("Get a customer merge: survivor, merged ids, fields before and after, what moved.");
        merges.MapPost("/{id:guid}/undo", UndoMerge.Handle).WithName("Merges_Undo").RequirePermission(Edit)
            .WithSummary("Undo a merge within 30 days; fields changed on the survivor since are kept and listed.");

        // The duplicate review queue (issue 17): managers and admins; starting a scan by hand is an admin's.
        var duplicates = app.MapGroup("/api/v1/duplicates").WithTags("Duplicates").WithIdempotency()
            .RequirePermission(Permissions.CustomersReviewDuplicates);
        duplicates.MapGet("/", ListDuplicates.Handle).WithName("Duplicates_List")
            .WithSummary("Likely duplicates as clusters (records linked by scored pairs, with reasons), best first; type=customer|lead, status=open|deferred|dismissed|merged; only pairs whose two records you can see; cursor-paged.");
        duplicates.MapPost("/{pairId:guid}/dismiss", DecideDuplicate.HandleDismiss).WithName("Duplicates_Dismiss")
            .WithSummary("Not duplicates: the pair leaves the queue and is never proposed again.");
        duplicates.MapPost("/{pairId:guid}/defer", DecideDuplicate.HandleDefer).WithName("Duplicates_Defer")
            .WithSummary("Hide the pair until a date (until; default 30 days, at most a year); it then reappears as open.");
        duplicates.MapPost("/{pairId:guid}/reopen", DecideDuplicate.HandleReopen).WithName("Duplicates_Reopen")
            .WithSummary("Put a dismissed or deferred pair back in the queue.");
        duplicates.MapGet("/scan", DuplicateScanEndpoints.HandleGet).WithName("Duplicates_GetScan")
            .WithSummary("Where the background duplicate scan of one record type (type=customer|lead) stands: full or incremental pass, watermark, records scanned, pairs found.");
        duplicates.MapPost("/scan", DuplicateScanEndpoints.HandleStart).WithName("Duplicates_StartScan").RequirePermission(Permissions.AdminSettings)
            .WithSummary("Run a scan pass of customers and open leads now (full=true: start over with every record); it runs in the background.");

        var contacts = customers.MapGroup("/{customerId:guid}/contacts").WithTags("Contacts");
        contacts.MapGet("/", SearchContacts.HandleForCustomer).WithName("Contacts_ListForCustomer").WithSummary("List a customer's contacts; cursor-paged.");
        contacts.MapPost("/", CreateContact.Handle).WithName("Contacts_Create").RequirePermission(Edit)
            .WithSummary("Add a contact. isPrimary=true demotes the current primary; a customer's first contact becomes primary.");
        contacts.MapGet("/{contactId:guid}", GetContact.Handle).WithName("Contacts_Get").WithSummary("Get a contact.");
        contacts.MapPatch("/{contactId:guid}", UpdateContact.Handle).WithName("Contacts_Update").WithSummary("Change a contact (merge-patch). isPrimary=true demotes the current primary.").RequirePermission(Edit);
        contacts.MapDelete("/{contactId:guid}", DeleteContact.Handle).WithName("Contacts_Delete").WithSummary("Remove a contact (soft delete).").RequirePermission(Edit);

        app.MapGroup("/api/v1/contacts").WithTags("Contacts").RequirePermission(Permissions.CustomersViewOwn)
            .MapGet("/", SearchContacts.Handle).WithName("Contacts_Search")
            .WithSummary("Contacts across all customers: name prefix (q), email, phone.");

        var addresses = customers.MapGroup("/{customerId:guid}/addresses").WithTags("Addresses");
        addresses.MapGet("/", ListAddresses.Handle).WithName("Addresses_List").WithSummary("List a customer's addresses; cursor-paged.");
        addresses.MapPost("/", CreateAddress.Handle).WithName("Addresses_Create").RequirePermission(Edit)
            .WithSummary("Add an address. isDefault=true demotes the current default of its type; the first of a type becomes default.");
        addresses.MapGet("/{addressId:guid}", GetAddress.Handle).WithName("Addresses_Get").WithSummary("Get an address.");
        addresses.MapPatch("/{addressId:guid}", UpdateAddress.Handle).WithName("Addresses_Update").WithSummary("Change an address (merge-patch). isDefault=true demotes the current default of its type.").RequirePermission(Edit);
        addresses.MapDelete("/{addressId:guid}", DeleteAddress.Handle).WithName("Addresses_Delete").WithSummary("Remove an address (soft delete).").RequirePermission(Edit);

        var account = customers.MapGroup("/{customerId:guid}/account").WithTags("Accounts");
        account.MapGet("/", GetAccount.Handle).WithName("Accounts_Get").WithSummary("Get an organization's account.");
        account.MapPost("/", CreateAccount.Handle).WithName("Accounts_Create").RequirePermission(Edit)
            .WithSummary("Give an organization its account (one per customer).");
        account.MapPatch("/", UpdateAccount.Handle).WithName("Accounts_Update").WithSummary("Change the account (merge-patch).").RequirePermission(Edit);
        account.MapDelete("/", DeleteAccount.Handle).WithName("Accounts_Delete").WithSummary("Remove the account (soft delete).").RequirePermission(Edit);

        var relationships = customers.MapGroup("/{customerId:guid}/relationships").WithTags("Relationships");
        relationships.MapGet("/", ListRelationships.Handle).WithName("Relationships_List").WithSummary("List a customer's relationships; cursor-paged.");
        relationships.MapPost("/", CreateRelationship.Handle).WithName("Relationships_Create").RequirePermission(Edit)
            .WithSummary("Link this customer (from) to another (to). parent_child and subsidiary links may not make the hierarchy circular.");
        relationships.MapGet("/{relationshipId:guid}", GetRelationship.Handle).WithName("Relationships_Get").WithSummary("Get a relationship.");
        relationships.MapPatch("/{relationshipId:guid}", UpdateRelationship.Handle).WithName("Relationships_Update").WithSummary("Change a relationship's notes and dates (merge-patch).").RequirePermission(Edit);
        relationships.MapDelete("/{relationshipId:guid}", DeleteRelationship.Handle).WithName("Relationships_Delete").WithSummary("Remove a relationship (soft delete).").RequirePermission(Edit);

        app.MapCustomerPages();
        return app;
    }
}
