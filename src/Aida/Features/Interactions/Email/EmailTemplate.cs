namespace Aida.Features.Interactions.Email;

/// <summary>A reusable email: subject and text and/or HTML body with placeholders (<see cref="TemplateText"/>).</summary>
public sealed class EmailTemplate : TrackedEntity
{
    public const int NameMaxLength = 200;
    public const int SubjectMaxLength = Communications.Communication.SubjectMaxLength;
    public const int BodyMaxLength = 200_000;

    public string Name { get; set; } = "";

    public string Subject { get; set; } = "";

    public string? BodyText { get; set; }

    public string? BodyHtml { get; set; }

    public Guid CreatedBy { get; set; }
}

public sealed class EmailTemplateConfiguration : IEntityTypeConfiguration<EmailTemplate>
{
    public void Configure(EntityTypeBuilder<EmailTemplate> builder)
    {
        builder.ToTable("email_templates");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Name).HasMaxLength(EmailTemplate.NameMaxLength);
        builder.Property(t => t.Subject).HasMaxLength(EmailTemplate.SubjectMaxLength);
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.CreatedBy).OnDelete(DeleteBehavior.Restrict);
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.Ignore(t => t.IsDeleted);

        DbErrors.RegisterUnique("ux_email_templates_name", "email_templates.name", "name", "A template with this name already exists.");
    }
}

public sealed record EmailTemplateResponse(
    Guid Id, string Name, string Subject, string? BodyText, string? BodyHtml, Guid CreatedBy, DateTime CreatedAt, DateTime UpdatedAt, int Version);

public static class EmailTemplateMapping
{
    public static EmailTemplateResponse ToResponse(this EmailTemplate t) =>
        new(t.Id, t.Name, t.Subject, t.BodyText, t.BodyHtml, t.CreatedBy, t.CreatedAt, t.UpdatedAt, t.Version);

    public static string Location(Guid id) => $"/api/v1/email-templates/{id}";

    public static object ToEvent(this EmailTemplate t) => new { template = new { t.Id, t.Name } };
}

/// <summary>The checks a template's fields share between create and change.</summary>
public static class EmailTemplateRules
{
    public static string? Name(ValidationErrors errors, string? name) => errors.RequiredText("name", name, EmailTemplate.NameMaxLength);

    public static string? Subject(ValidationErrors errors, string? subject)
    {
        var text = errors.RequiredText("subject", subject, EmailTemplate.SubjectMaxLength);
        TemplateText.Check(errors, "subject", text);
        return text;
    }

    public static string? Body(ValidationErrors errors, string field, string? body)
    {
        if (body is { Length: > EmailTemplate.BodyMaxLength })
        {
            errors.Add(field, $"Must be at most {EmailTemplate.BodyMaxLength} characters.");
            return null;
        }

        TemplateText.Check(errors, field, body);
        return string.IsNullOrWhiteSpace(body) ? null : body;
    }

    public static void NeedsABody(ValidationErrors errors, string? text, string? html)
    {
        if (text is null && html is null && !errors.Has("bodyText") && !errors.Has("bodyHtml"))
        {
            errors.Add("bodyText", "A template needs a text body, an HTML body, or both.");
        }
    }
}
