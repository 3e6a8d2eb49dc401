using System.Security.Cryptography;

namespace Aida.Features.Leads.Forms;

/// <summary>One input of a web form: which lead field it fills, its label, its input type, and whether it must be filled.</summary>
public sealed record LeadFormField(string Name, string Label, string Type, bool Required);

/// <summary>
/// A public web form that captures leads (issue 7): an admin picks the fields, the web sites allowed to
/// post it and where visitors go afterwards, and embeds the snippet. Submissions go to
/// <c>POST /f/{Key}</c> without sign-in; the key is random (128 bits), so forms cannot be enumerated.
/// </summary>
public sealed class LeadForm : TrackedEntity
{
    public const int NameMaxLength = 200;
    public const int KeyMaxLength = 64;
    public const int MaxOrigins = 50;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name { get; set; } = "";

    /// <summary>The public, URL-safe key in <c>/f/{key}</c>.</summary>
    public string Key { get; init; } = NewKey();

    /// <summary>JSON array of <see cref="LeadFormField"/>.</summary>
    public string Fields { get; set; } = "[]";

    /// <summary>JSON array of origins ("https://example.com") allowed to post; empty allows any.</summary>
    public string AllowedOrigins { get; set; } = "[]";

    public string? SuccessRedirectUrl { get; set; }

    public LeadSourceType SourceType { get; set; } = LeadSourceType.Website;

    public string? SourceDetail { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>Stored submissions (bots caught by the honeypot are not counted).</summary>
    public int SubmissionCount { get; set; }

    public Guid? CreatedBy { get; set; }

    public IReadOnlyList<LeadFormField> FieldList
    {
        get => JsonSerializer.Deserialize<List<LeadFormField>>(Fields, Json) ?? [];
        set => Fields = JsonSerializer.Serialize(value, Json);
    }

    public IReadOnlyList<string> OriginList
    {
        get => JsonSerializer.Deserialize<List<string>>(AllowedOrigins, Json) ?? [];
        set => AllowedOrigins = JsonSerializer.Serialize(value, Json);
    }

    /// <summary>128 random bits as base64url: 22 characters, safe in a path.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed class LeadFormConfiguration : IEntityTypeConfiguration<LeadForm>
{
    public void Configure(EntityTypeBuilder<LeadForm> builder)
    {
        builder.ToTable("lead_forms");
        builder.HasKey(f => f.Id);
        builder.HasQueryFilter(f => f.DeletedAt == null);
        builder.Property(f => f.Name).HasMaxLength(LeadForm.NameMaxLength);
        builder.Property(f => f.Key).HasMaxLength(LeadForm.KeyMaxLength);
        builder.Property(f => f.Fields).IsJson();
        builder.Property(f => f.AllowedOrigins).IsJson();
        builder.Property(f => f.SuccessRedirectUrl).HasMaxLength(Lead.UrlMaxLength);
        builder.Property(f => f.SourceDetail).HasMaxLength(Lead.SourceDetailMaxLength);
        builder.Property(f => f.SubmissionCount).NotAudited();
        builder.Property(f => f.Version).IsConcurrencyToken();
        builder.Ignore(f => f.IsDeleted);
        builder.Ignore(f => f.FieldList);
        builder.Ignore(f => f.OriginList);
    }
}
