using Aida.Features.Customers.Pages;

namespace Aida.Features.Leads.Pages;

/// <summary>The duplicate queue's merge of a lead cluster (<see cref="Duplicates.LeadDuplicateRecords.Merge"/>): into the lead picked to keep.</summary>
public static class LeadDuplicatePages
{
    /// <summary>Merges the cluster's leads (<c>record</c>) into the one picked to keep (<c>survivor</c>), by <see cref="MergeLeads"/>.</summary>
    public static async Task<IResult> Merge(HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var survivor = Guid.TryParse(form["survivor"], out var kept) ? kept : (Guid?)null;
        var others = form["record"].Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty && id != survivor).ToList();
        var result = await MergeLeads.RunAsync(new MergeLeads.Request(survivor, others), db, cancellationToken);
        if (result.Failure is Failure.NotFound)
        {
            return Html.NotFound(http, "lead");
        }

        return result.Failure is null
            ? Html.Done(http, $"/leads/{survivor}", $"Merged {others.Count} lead{(others.Count == 1 ? "" : "s")} into this one; their touches are here now.")
            : Html.Finish(http, result.Failure, DuplicatePages.Back(http), "");
    }
}
