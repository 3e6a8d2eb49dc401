using Aida.Platform.Auth;
using Aida.Platform.Data;

namespace Aida.E2E.Infrastructure;

/// <summary>A person who can sign in to the server under test, added with <c>aida user add</c> before it serves.</summary>
public sealed record AidaUser(string Email, string Name, Role Role, string? Team, string Password)
{
    /// <summary>A user with an email address and a password that no other test uses.</summary>
    public static AidaUser Unique(string name, Role role, string? team = null)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        return new AidaUser($"{EnumText<Role>.ToText(role)}-{id}@example.com", name, role, team, $"e2e password {id}");
    }
}
