namespace Aida.Platform.Auth;

/// <summary>A person (or the built-in system actor) who signs in, owns records and appears in the audit log.</summary>
public sealed class User : AuditedEntity
{
    /// <summary>The built-in actor for work no person started: migrations, seeding, jobs, the CLI.</summary>
    public static readonly Guid SystemId = new("00000000-0000-7000-8000-000000000001");

    public const int EmailMaxLength = 254;
    public const int NameMaxLength = 200;

    public required string Email { get; set; }

    public required string DisplayName { get; set; }

    public bool IsActive { get; set; } = true;

    public Role Role { get; set; } = Role.Viewer;

    public Guid? TeamId { get; set; }

    /// <summary>IANA time zone, e.g. Europe/Berlin: times are stored in UTC and shown in this zone.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>ASP.NET Core's password hash; null for users who only use API tokens.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>Changes whenever sign-ins must end (password changed, deactivated); cookies carry it.</summary>
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");

    public int FailedSignIns { get; set; }

    public DateTime? LockedUntil { get; set; }

    public DateTime? LastSignInAt { get; set; }
}

public sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.HasKey(u => u.Id);
        builder.HasOne<Team>().WithMany().HasForeignKey(u => u.TeamId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(u => u.Email).HasMaxLength(User.EmailMaxLength);
        builder.Property(u => u.DisplayName).HasMaxLength(User.NameMaxLength);
        builder.Property(u => u.TimeZone).HasMaxLength(100);
        builder.Property(u => u.Version).IsConcurrencyToken();
        builder.Property(u => u.PasswordHash).NotAudited();
        builder.Property(u => u.SecurityStamp).NotAudited();
        builder.Property(u => u.FailedSignIns).NotAudited();
        builder.Property(u => u.LockedUntil).NotAudited();
        builder.Property(u => u.LastSignInAt).NotAudited();

        DbErrors.RegisterUnique("ux_users_email", "users.email", "email", "Another user already has this email address.");
    }
}

/// <summary>A group of users under a manager, who sees the customers its members own.</summary>
public sealed class Team : AuditedEntity
{
    public const int NameMaxLength = 100;

    public required string Name { get; set; }

    public Guid? ManagerId { get; set; }
}

public sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> builder)
    {
        builder.ToTable("teams");
        builder.HasKey(t => t.Id);
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.ManagerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(t => t.Name).HasMaxLength(Team.NameMaxLength);
        builder.Property(t => t.Version).IsConcurrencyToken();

        DbErrors.RegisterUnique("ux_teams_name", "teams.name", "name", "Another team already has this name.");
    }
}
