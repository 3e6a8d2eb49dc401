namespace Aida.Features.Leads.Routing;

/// <summary>Adds a lead routing rule (admin.settings), last unless a position is given.</summary>
public static class CreateRoutingRule
{
    public static async Task<Results<Created<RoutingRuleResponse>, ValidationProblem>> Handle(
        [FromBody] RoutingRuleRequest request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, cancellationToken)).ToCreatedOrInvalid(response, created => $"/api/v1/lead-routing-rules/{created.Id}");

    public static async Task<Result<RoutingRuleResponse>> RunAsync(RoutingRuleRequest request, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var errors = new ValidationErrors();
        var rule = new LeadRoutingRule();
        await request.ApplyToAsync(rule, db, errors, creating: true, cancellationToken);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        rule.Position = request.Position ?? (await db.Set<LeadRoutingRule>().MaxAsync(r => (int?)r.Position, cancellationToken) ?? 0) + 1;
        db.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(rule.ToResponse(), rule.Version);
    }
}
