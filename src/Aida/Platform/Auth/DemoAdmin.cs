using System.Security.Cryptography;
using Aida.Platform.Hosting;

namespace Aida.Platform.Auth;

/// <summary>
/// The administrator <c>serve --demo</c> creates so a person can try Aida at once: a random password for
/// the web UI and an API token for curl, printed once when created. Only on loopback — a demo server
/// reachable from the network must not hand out an admin sign-in on its console.
/// </summary>
public static class DemoAdmin
{
    public const string Email = "admin@demo.aida.local";

    public sealed record Credentials(string Email, string Password, string Token);

    /// <summary>The new admin's credentials, or null when the demo admin exists already (its secrets were shown then).</summary>
    public static async Task<Credentials?> EnsureAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (await AddAsync(services, cancellationToken) is not { } added)
        {
            return null;
        }

        // Someone trying Aida signs in to My activities and Notifications: give them something in both. After
        // the admin's own write is over (on SQLite it holds the one writer's gate until its scope ends).
        if (services.GetService<IDemoSeeder>() is { } demo)
        {
            await demo.GiveWorkingDayAsync(added.UserId, cancellationToken);
        }

        return added.Credentials;
    }

    private static async Task<(Guid UserId, Credentials Credentials)?> AddAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (await db.Set<User>().AnyAsync(u => u.Email == Email, cancellationToken))
        {
            return null;
        }

        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', '-').Replace('/', '_');
        var errors = new ValidationErrors();
        var admin = await UserAdministration.AddUserAsync(db,
            new UserAdministration.NewUser(Email, "Demo Admin", Role.Admin, null, null, password), errors, cancellationToken)
            ?? throw new InvalidOperationException("The demo admin did not pass validation.");
        var (_, token) = UserAdministration.AddToken(db, admin, "demo", TokenScope.Write, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (admin.Id, new Credentials(Email, password, token));
    }
}
