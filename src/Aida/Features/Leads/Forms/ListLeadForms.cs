namespace Aida.Features.Leads.Forms;

/// <summary>The web forms by name. An installation has a handful, so the list is one page.</summary>
public static class ListLeadForms
{
    public const int MaxForms = 500;

    public static async Task<Ok<Page<LeadFormResponse>>> Handle(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RunAsync(db, cancellationToken));

    /// <summary>Nothing about a list without filters can be refused, so the answer is the page itself.</summary>
    public static async Task<Page<LeadFormResponse>> RunAsync(AidaDb db, CancellationToken cancellationToken)
    {
        var forms = await db.Set<LeadForm>().AsNoTracking().OrderBy(f => f.Name).ThenBy(f => f.Id).Take(MaxForms).ToListAsync(cancellationToken);
        return new Page<LeadFormResponse>(forms.Select(f => f.ToResponse()).ToList(), null);
    }
}
