using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aida.Features.Leads;

/// <summary>
/// The lead workflow's two numbers: the score at which a lead counts as sales-ready (crossing it emits
/// <c>lead.score_changed</c>) and how many unanswered follow-ups make a lead unresponsive. One stored row,
/// not configuration: an admin changes them at runtime from the settings screen, every node reads the
/// same values, and the static seams (scoring, touches) that capture code calls read them from the database.
/// </summary>
public sealed class LeadSettings : AuditedEntity
{
    public static readonly Guid SingletonId = new("01900000-0000-7000-8000-000000000101");

    public const int DefaultQualificationThreshold = 70;
    public const int DefaultMaxFollowUps = 5;

    public int QualificationThreshold { get; set; } = DefaultQualificationThreshold;

    public int MaxFollowUps { get; set; } = DefaultMaxFollowUps;

    /// <summary>The stored settings, or the defaults if the row is missing (it is seeded by migration 0006).</summary>
    public static async Task<LeadSettings> GetAsync(AidaDb db, CancellationToken cancellationToken) =>
        await db.Set<LeadSettings>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == SingletonId, cancellationToken)
        ?? new LeadSettings { Id = SingletonId };
}

public sealed class LeadSettingsConfiguration : IEntityTypeConfiguration<LeadSettings>
{
    public void Configure(EntityTypeBuilder<LeadSettings> builder)
    {
        builder.ToTable("lead_settings");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}

public sealed record LeadSettingsResponse(int QualificationThreshold, int MaxFollowUps, DateTime UpdatedAt, int Version);

/// <summary><c>GET/PATCH /api/v1/lead-settings</c> (admin.settings).</summary>
public static class LeadSettingsEndpoints
{
    public sealed record Request(int? QualificationThreshold, int? MaxFollowUps);

    public static LeadSettingsResponse ToResponse(this LeadSettings s) => new(s.QualificationThreshold, s.MaxFollowUps, s.UpdatedAt, s.Version);

    public static async Task<Ok<LeadSettingsResponse>> Get(AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var settings = await LeadSettings.GetAsync(db, cancellationToken);
        ETags.Set(response, settings.Version);
        return TypedResults.Ok(settings.ToResponse());
    }

    public static async Task<Results<Ok<LeadSettingsResponse>, ValidationProblem, ProblemHttpResult>> Update(
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

        var errors = new ValidationErrors();
        if (request.QualificationThreshold is < 1 or > 100)
        {
            errors.Add("qualificationThreshold", "Must be between 1 and 100.");
        }

        if (request.MaxFollowUps is < 1 or > 50)
        {
            errors.Add("maxFollowUps", "Must be between 1 and 50.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var found = await db.Set<LeadSettings>().Where(s => s.Id == LeadSettings.SingletonId).FindForChangeAsync(precondition, "lead settings", cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }

        var settings = found.Record;
        settings.QualificationThreshold = request.QualificationThreshold ?? settings.QualificationThreshold;
        settings.MaxFollowUps = request.MaxFollowUps ?? settings.MaxFollowUps;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        ETags.Set(response, settings.Version);
        return TypedResults.Ok(settings.ToResponse());
    }
}
