using System.Security.Cryptography;
using System.Text;

namespace Aida.Platform.Auth;

public enum TokenScope
{
    Read,
    Write,
}

/// <summary>
/// An opaque bearer token that acts for its user: <c>aida_</c> + 32 random bytes (base64url). Only its
/// SHA-256 is stored, so a database leak yields no usable token; the first characters are kept to tell
/// tokens apart in lists. Revocation and expiry take effect on the next request.
/// </summary>
public sealed class ApiToken : AuditedEntity
{
    public const string Marker = "aida_";
    public const int NameMaxLength = 100;

    public Guid UserId { get; set; }

    public required string Name { get; set; }

    /// <summary>The token's first characters, shown in lists: "aida_x1Y2z3".</summary>
    public required string Prefix { get; set; }

    public required string Hash { get; set; }

    public TokenScope Scope { get; set; } = TokenScope.Write;

    public DateTime? ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    /// <summary>Recorded to the minute: the first use after a minute of silence updates it.</summary>
    public DateTime? LastUsedAt { get; set; }

    public bool IsUsable(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    /// <summary>A new random token and its record; the plain token is returned once and never stored.</summary>
    public static (ApiToken Token, string Plain) Create(Guid userId, string name, TokenScope scope, DateTime? expiresAt)
    {
        var plain = Marker + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (new ApiToken
        {
            UserId = userId,
            Name = name,
            Prefix = plain[..(Marker.Length + 6)],
            Hash = HashOf(plain),
            Scope = scope,
            ExpiresAt = expiresAt,
        }, plain);
    }

    public static string HashOf(string plain) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plain)));
}

public sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("api_tokens");
        builder.HasKey(t => t.Id);
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(t => t.Name).HasMaxLength(ApiToken.NameMaxLength);
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.Property(t => t.Hash).NotAudited();
        builder.Property(t => t.LastUsedAt).NotAudited();
    }
}
