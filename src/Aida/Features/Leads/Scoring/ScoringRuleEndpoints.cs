using System.Text.Json;
using Aida.Platform;
using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Leads.Scoring;

public sealed record ScoringConditionDto(string Field, ScoringOperator Operator, string? Value, IReadOnlyList<string>? Values);

public sealed record ScoringRuleResponse(
    Guid Id, string Name, ScoringCategory Category, ScoringConditionDto Condition, string Description, int Points, bool IsActive, int Position,
    DateTime CreatedAt, DateTime UpdatedAt, int Version);

/// <summary>
/// <c>/api/v1/lead-scoring-rules</c> (admin.settings): list, read, add, change and delete rules, and
/// <c>POST …/rescore</c>. Every change to a rule rescores the open leads in the same request (in
/// batches, after the rule is saved), so scores never lag the rules; rescore is there for after a
/// restore or a bulk import.
/// </summary>
public static class ScoringRuleEndpoints
{
    public sealed record ConditionRequest(string? Field, string? Operator, JsonElement? Value, List<JsonElement>? Values);

    public sealed record Request(string? Name, ScoringCategory? Category, ConditionRequest? Condition, int? Points, bool? IsActive, int? Position);

    public sealed record Changed(ScoringRuleResponse Rule, LeadScoring.RescoreResult Rescore);

    public static ScoringRuleResponse ToResponse(this LeadScoringRule r) => new(
        r.Id, r.Name, r.Category,
        new ScoringConditionDto(r.Field, r.Operator, r.Value, r.ValueList is null ? null : ScoringConditions.ListOf(r)),
        ScoringConditions.Describe(r), r.Points, r.IsActive, r.Position, r.CreatedAt, r.UpdatedAt, r.Version);

    public static async Task<Ok<Page<ScoringRuleResponse>>> List(AidaDb db, CancellationToken cancellationToken)
    {
        var rules = await db.Set<LeadScoringRule>().AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<ScoringRuleResponse>(rules.Select(r => r.ToResponse()).ToList(), null));
    }

    public static async Task<Results<Ok<ScoringRuleResponse>, ProblemHttpResult>> Get(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var rule = await db.Set<LeadScoringRule>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return Problems.NotFound("scoring rule");
        }

        ETags.Set(response, rule.Version);
        return TypedResults.Ok(rule.ToResponse());
    }

    public static async Task<Results<Created<Changed>, ValidationProblem>> Create(
        [FromBody] Request request, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var rule = new LeadScoringRule();
        Validate(errors, request, rule, creating: true);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using (var transaction = await db.BeginWriteAsync(cancellationToken))
        {
            rule.Position = request.Position ?? (await db.Set<LeadScoringRule>().MaxAsync(r => (int?)r.Position, cancellationToken) ?? 0) + 1;
            db.Add(rule);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var rescore = await LeadScoring.RescoreAsync(db, cancellationToken);
        ETags.Set(response, rule.Version);
        return TypedResults.Created($"/api/v1/lead-scoring-rules/{rule.Id}", new Changed(rule.ToResponse(), rescore));
    }

    /// <summary>PATCH: fields given replace the stored ones; a condition is replaced whole.</summary>
    public static async Task<Results<Ok<Changed>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        LeadScoringRule rule;
        await using (var transaction = await db.BeginWriteAsync(cancellationToken))
        {
            var found = await db.Set<LeadScoringRule>().Where(r => r.Id == id).FindForChangeAsync(precondition, "scoring rule", cancellationToken);
            if (found.Failed)
            {
                return found.Problem;
            }

            rule = found.Record;
            var errors = new ValidationErrors();
            Validate(errors, request, rule, creating: false);
            if (errors.Any)
            {
                return errors.ToProblem();
            }

            rule.Position = request.Position ?? rule.Position;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        var rescore = await LeadScoring.RescoreAsync(db, cancellationToken);
        ETags.Set(response, rule.Version);
        return TypedResults.Ok(new Changed(rule.ToResponse(), rescore));
    }

    public static async Task<Results<Ok<LeadScoring.RescoreResult>, ValidationProblem, ProblemHttpResult>> Delete(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        await using (var transaction = await db.BeginWriteAsync(cancellationToken))
        {
            var found = await db.Set<LeadScoringRule>().Where(r => r.Id == id).FindForChangeAsync(precondition, "scoring rule", cancellationToken);
            if (found.Failed)
            {
                return found.Problem;
            }

            found.Record.DeletedAt = db.Clock.UtcNow();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        return TypedResults.Ok(await LeadScoring.RescoreAsync(db, cancellationToken));
    }

    public static async Task<Ok<LeadScoring.RescoreResult>> Rescore(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await LeadScoring.RescoreAsync(db, cancellationToken));

    private static void Validate(ValidationErrors errors, Request request, LeadScoringRule rule, bool creating)
    {
        var name = creating || request.Name is not null
            ? errors.RequiredText("name", request.Name, LeadScoringRule.NameMaxLength)
            : rule.Name;
        if (creating && request.Category is null)
        {
            errors.Add("category", "Is required: demographic, behavioural or bant.");
        }

        if (creating && request.Condition is null)
        {
            errors.Add("condition", "Is required: {field, operator, value or values}.");
        }
        else if (request.Condition is { } condition)
        {
            ScoringConditions.Apply(errors, condition.Field, condition.Operator, condition.Value, condition.Values, rule);
        }

        if (creating && request.Points is null)
        {
            errors.Add("points", "Is required: from -100 to 100.");
        }
        else if (request.Points is < -100 or > 100)
        {
            errors.Add("points", "Must be from -100 to 100.");
        }

        if (request.Position is < 0)
        {
            errors.Add("position", "Must be 0 or more.");
        }

        if (errors.Any)
        {
            return;
        }

        rule.Name = name!;
        rule.Category = request.Category ?? rule.Category;
        rule.Points = request.Points ?? rule.Points;
        rule.IsActive = request.IsActive ?? rule.IsActive;
    }
}
