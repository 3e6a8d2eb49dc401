using Aida.Features.Customers.Contacts;
using Aida.Features.Interactions;
using Microsoft.Extensions.Options;

namespace Aida.Features.Deals.Pages;

/// <summary>The deal's own page: its fields, stage history, the move form, and the interactions logged about it.</summary>
public static class DealDetailPages
{
    public const int MaxInteractions = 50;

    public sealed record DetailView(
        DealResponse Deal, PipelineResponse? Pipeline, string? ContactName, UserDirectory Users, DateTime Now,
        IReadOnlyList<InteractionResponse> Interactions, bool CanEdit, bool CanDelete);

    public static async Task<IResult> Show(Guid id, HttpContext http, AidaDb db, IOptions<DealOptions> options, CancellationToken cancellationToken)
    {
        var found = await GetDeal.RunAsync(id, db, options, cancellationToken);
        if (!found.Succeeded)
        {
            return Html.NotFound(http, "deal");
        }

        var deal = found.Value;
        var pipeline = (await ListPipelines.RunAsync(db, cancellationToken)).Items.FirstOrDefault(p => p.Id == deal.PipelineId);
        var contact = deal.ContactId is { } contactId
            ? await db.Set<Contact>().IgnoreQueryFilters().AsNoTracking().Where(c => c.Id == contactId && c.DeletedAt == null)
                .Select(c => c.FirstName + " " + c.LastName).FirstOrDefaultAsync(cancellationToken)
            : null;
        var interactions = await db.Set<Interaction>().AsNoTracking()
            .Where(i => i.RelatedType == RelatedRecordType.Opportunity && i.RelatedId == id)
            .OrderByDescending(i => i.OccurredAt).Take(MaxInteractions).ToListAsync(cancellationToken);
        var ui = UiContext.For(http);
        return Html.Page<DealDetailPage>(new
        {
            Context = ui,
            View = new DetailView(deal, pipeline, contact, await UserDirectory.LoadAsync(db, cancellationToken), db.Clock.UtcNow(),
                interactions.Select(i => i.ToResponse()).ToList(), ui.Can(Permissions.LeadsEdit), ui.Can(Permissions.LeadsDelete)),
        });
    }

    public static async Task<IResult> Delete(Guid id, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var pipelineId = await db.Set<Opportunity>().Where(o => o.Id == id).Select(o => (Guid?)o.PipelineId).FirstOrDefaultAsync(cancellationToken);
        if (pipelineId is null)
        {
            return Html.NotFound(http, "deal");
        }

        var deleted = await DeleteDeal.RunAsync(id, values.IfMatch ?? "", db, cancellationToken);
        return Html.Finish(http, deleted.Failure, $"/deals?pipeline={pipelineId}", "The deal was deleted.", failedUrl: $"/deals/{id}");
    }
}
