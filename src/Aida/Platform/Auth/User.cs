namespace Aida.Platform.Auth;

/// <summary>
/// A person (or the built-in system actor) who owns records and appears in the audit log.
/// Sign-in, roles and teams are added by the authentication feature.
/// </summary>
public sealed class User
{
    /// <summary>The built-in actor for work no person started: migrations, seeding, jobs.</summary>
    public static readonly Guid SystemId = new("00000000-0000-7000-8000-000000000001");

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Email { get; set; }
    public required string DisplayName { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; } = 1;
}
