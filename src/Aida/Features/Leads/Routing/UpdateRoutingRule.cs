namespace Aida.Features.Leads.Routing;

/// <summary>PATCH a lead routing rule (If-Match): fields given replace the stored ones (lists whole; an empty list means "any").</summary>
public static class UpdateRoutingRule
{
    public static async Task<Results<Ok<RoutingRuleResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] RoutingRuleRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static Task<Result<RoutingRuleResponse>> RunAsync(Guid id, RoutingRuleRequest request, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.ChangeAsync(db.Set<LeadRoutingRule>().Where(r => r.Id == id), ifMatch, "routing rule", async Task<Failure?> (rule) =>
        {
            var errors = new ValidationErrors();
            await request.ApplyToAsync(rule, db, errors, creating: false, cancellationToken);
            if (errors.Any)
            {
                return errors.ToFailure();
            }

            rule.Position = request.Position ?? rule.Position;
            return null;
        }, rule => rule.ToResponse(), cancellationToken);
}
