using System.Text.Json;
using Aida.Features.Customers.Addresses;
using Aida.Platform;
using Aida.Platform.Auth;
using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Leads.Routing;

public sealed record RoutingRuleResponse(
    Guid Id, string Name, int Position, bool IsActive, IReadOnlyList<LeadSourceType> SourceTypes, IReadOnlyList<string> Countries,
    RoutingAction Action, Guid? UserId, Guid? TeamId, int? OpenLeadCap, Guid? LastAssignedUserId, DateTime CreatedAt, DateTime UpdatedAt, int Version);

/// <summary><c>/api/v1/lead-routing-rules</c> (admin.settings): list, read, add, change and delete routing rules.</summary>
public static class RoutingRuleEndpoints
{
    public const int MaxListValues = 50;

    public sealed record Request(
        string? Name, int? Position, bool? IsActive, List<LeadSourceType>? SourceTypes, List<string>? Countries,
        RoutingAction? Action, Guid? UserId, Guid? TeamId, int? OpenLeadCap);

    public static RoutingRuleResponse ToResponse(this LeadRoutingRule r) => new(
        r.Id, r.Name, r.Position, r.IsActive, r.SourceTypeList(), r.CountryList(), r.Action, r.UserId, r.TeamId, r.OpenLeadCap,
        r.LastAssignedUserId, r.CreatedAt, r.UpdatedAt, r.Version);

    public static async Task<Ok<Page<RoutingRuleResponse>>> List(AidaDb db, CancellationToken cancellationToken)
    {
        var rules = await db.Set<LeadRoutingRule>().AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<RoutingRuleResponse>(rules.Select(r => r.ToResponse()).ToList(), null));
    }

    public static async Task<Results<Ok<RoutingRuleResponse>, ProblemHttpResult>> Get(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var rule = await db.Set<LeadRoutingRule>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return Problems.NotFound("routing rule");
        }

        ETags.Set(response, rule.Version);
        return TypedResults.Ok(rule.ToResponse());
    }

    public static async Task<Results<Created<RoutingRuleResponse>, ValidationProblem>> Create(
        [FromBody] Request request, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var errors = new ValidationErrors();
        var rule = new LeadRoutingRule();
        await ValidateAsync(db, errors, request, rule, creating: true, cancellationToken);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        rule.Position = request.Position ?? (await db.Set<LeadRoutingRule>().MaxAsync(r => (int?)r.Position, cancellationToken) ?? 0) + 1;
        db.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        ETags.Set(response, rule.Version);
        return TypedResults.Created($"/api/v1/lead-routing-rules/{rule.Id}", rule.ToResponse());
    }

    /// <summary>PATCH: fields given replace the stored ones (lists whole; an empty list means "any").</summary>
    public static async Task<Results<Ok<RoutingRuleResponse>, ValidationProblem, ProblemHttpResult>> Update(
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

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var found = await db.Set<LeadRoutingRule>().Where(r => r.Id == id).FindForChangeAsync(precondition, "routing rule", cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }

        var rule = found.Record;
        var errors = new ValidationErrors();
        await ValidateAsync(db, errors, request, rule, creating: false, cancellationToken);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        rule.Position = request.Position ?? rule.Position;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        ETags.Set(response, rule.Version);
        return TypedResults.Ok(rule.ToResponse());
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var found = await db.Set<LeadRoutingRule>().Where(r => r.Id == id).FindForChangeAsync(precondition, "routing rule", cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }

        found.Record.DeletedAt = db.Clock.UtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task ValidateAsync(AidaDb db, ValidationErrors errors, Request request, LeadRoutingRule rule, bool creating, CancellationToken cancellationToken)
    {
        var name = creating || request.Name is not null ? errors.RequiredText("name", request.Name, LeadRoutingRule.NameMaxLength) : rule.Name;
        if (request.Position is < 0)
        {
            errors.Add("position", "Must be 0 or more.");
        }

        if (request.SourceTypes is { Count: > MaxListValues })
        {
            errors.Add("sourceTypes", $"Give at most {MaxListValues} source types.");
        }

        List<string>? countries = null;
        if (request.Countries is { } given)
        {
            if (given.Count > MaxListValues)
            {
                errors.Add("countries", $"Give at most {MaxListValues} countries.");
            }
            else
            {
                countries = [];
                for (var i = 0; i < given.Count; i++)
                {
                    if (AddressRules.Country(errors, $"countries[{i}]", given[i]) is { } code && !errors.Has($"countries[{i}]"))
                    {
                        countries.Add(code);
                    }
                }
            }
        }

        var action = request.Action ?? (creating ? null : rule.Action);
        var userId = request.UserId ?? (request.Action is null && !creating ? rule.UserId : null);
        var teamId = request.TeamId ?? (request.Action is null && !creating ? rule.TeamId : null);
        var cap = request.OpenLeadCap ?? (request.Action is null && !creating ? rule.OpenLeadCap : null);
        if (action is null)
        {
            errors.Add("action", "Is required: assign_user or round_robin.");
        }
        else if (action == RoutingAction.AssignUser)
        {
            if (userId is null)
            {
                errors.Add("userId", "Is required when the action is assign_user.");
            }
            else if (await db.Set<User>().Where(u => u.Id == userId && u.Id != User.SystemId).Select(u => (bool?)u.IsActive).FirstOrDefaultAsync(cancellationToken) is not { } active)
            {
                errors.Add("userId", "No user with this id exists.");
            }
            else if (!active)
            {
                errors.Add("userId", "The user is deactivated and cannot be given leads.");
            }

            if (request.TeamId is not null)
            {
                errors.Add("teamId", "Only a round_robin rule has a team.");
            }

            teamId = null;
            cap = null;
        }
        else
        {
            if (teamId is null)
            {
                errors.Add("teamId", "Is required when the action is round_robin.");
            }
            else if (!await db.Set<Team>().AnyAsync(t => t.Id == teamId, cancellationToken))
            {
                errors.Add("teamId", "No team with this id exists.");
            }

            if (request.UserId is not null)
            {
                errors.Add("userId", "Only an assign_user rule has a user.");
            }

            if (cap is < 1)
            {
                errors.Add("openLeadCap", "Must be 1 or more, or left out for no cap.");
            }

            userId = null;
        }

        if (errors.Any)
        {
            return;
        }

        rule.Name = name!;
        rule.IsActive = request.IsActive ?? rule.IsActive;
        if (request.SourceTypes is { } sources)
        {
            rule.SourceTypes = JsonSerializer.Serialize(sources.Distinct().Select(EnumText<LeadSourceType>.ToText).ToList());
        }

        if (countries is not null)
        {
            rule.Countries = JsonSerializer.Serialize(countries.Distinct().ToList());
        }

        if (rule.Action != action || rule.TeamId != teamId)
        {
            rule.LastAssignedUserId = null;
        }

        rule.Action = action!.Value;
        rule.UserId = userId;
        rule.TeamId = teamId;
        rule.OpenLeadCap = cap;
    }
}
