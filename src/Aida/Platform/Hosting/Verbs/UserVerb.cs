using System.CommandLine;

namespace Aida.Platform.Hosting.Verbs;

/// <summary>
/// <c>aida user add|deactivate</c>: managing people from the shell, for the first admin on a server
/// without a browser and for scripts. Changes are made by the built-in system actor and audited.
/// </summary>
public static class UserVerb
{
    private static readonly Option<string> Email = new("--email") { Description = "The user's email address (their sign-in name).", Required = true };

    public static Command Create()
    {
        var user = new Command("user", "Add or deactivate users.");
        user.Subcommands.Add(CreateAdd());
        user.Subcommands.Add(CreateDeactivate());
        return user;
    }

    private static Command CreateAdd()
    {
        var name = new Option<string>("--name") { Description = "Display name.", Required = true };
        var role = new Option<string>("--role") { Description = $"One of: {string.Join(", ", EnumText<Role>.AllNames)}.", Required = true };
        var team = new Option<string?>("--team") { Description = "Team name or id; a team of that name is created when none exists." };
        var timeZone = new Option<string?>("--time-zone") { Description = "IANA time zone (default UTC)." };
        var passwordStdin = new Option<bool>("--password-stdin")
        {
            Description = $"Read the password (at least {UserAdministration.MinPasswordLength} characters) from the first line of standard input; without it the user can only use API tokens.",
        };
        var add = Cli.AddDatabaseOptions(new Command("add", "Add a user.") { Email, name, role, team, timeZone, passwordStdin });
        add.Validators.Add(result => Cli.RequireAll(result, Email, name, role));
        add.SetAction(async (parse, cancellationToken) =>
        {
            if (!EnumText<Role>.TryParse(parse.GetValue(role), out var parsedRole))
            {
                return await CliServer.FailAsync($"--role must be one of: {string.Join(", ", EnumText<Role>.AllNames)}.");
            }

            string? password = null;
            if (parse.GetValue(passwordStdin))
            {
                password = (await Console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r');
                if (string.IsNullOrEmpty(password))
                {
                    return await CliServer.FailAsync("--password-stdin: standard input had no password.");
                }
            }

            if (parse.GetValue(team)?.Trim().Length > Team.NameMaxLength)
            {
                return await CliServer.FailAsync($"--team must be at most {Team.NameMaxLength} characters.");
            }

            return await CliServer.RunAsync(parse, async (services, db) =>
            {
                await using var transaction = await db.BeginWriteAsync(cancellationToken);
                var (addedTeam, teamIsNew) = await FindOrAddTeamAsync(db, parse.GetValue(team), cancellationToken);
                var errors = new ValidationErrors();
                var added = await UserAdministration.AddUserAsync(db,
                    new UserAdministration.NewUser(parse.GetValue(Email), parse.GetValue(name), parsedRole, addedTeam?.Id, parse.GetValue(timeZone), password),
                    errors, cancellationToken);
                if (added is null)
                {
                    return await CliServer.FailAsync(string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
                }

                // A manager added to a team nobody manages yet is taken to be its manager.
                var manages = added.Role == Role.Manager && addedTeam is { ManagerId: null };
                if (manages)
                {
                    addedTeam!.ManagerId = added.Id;
                }

                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                if (teamIsNew)
                {
                    Console.WriteLine($"Added team {addedTeam!.Name} ({addedTeam.Id}).");
                }

                Console.WriteLine($"Added {EnumText<Role>.ToText(added.Role)} {added.Email} ({added.Id})" + (manages ? $", manager of {addedTeam!.Name}." : "."));
                return 0;
            }, cancellationToken);
        });
        return add;
    }

    private static Command CreateDeactivate()
    {
        var deactivate = new Command("deactivate",
            "Deactivate a user: their sign-ins end, their tokens are revoked, and their customers go to their team's manager or the unassigned pool.")
        {
            Email,
        };
        Cli.AddDatabaseOptions(deactivate);
        deactivate.Validators.Add(result => Cli.RequireAll(result, Email));
        deactivate.SetAction(async (parse, cancellationToken) =>
        {
            return await CliServer.RunAsync(parse, async (services, db) =>
            {
                var user = await FindUserAsync(db, parse.GetValue(Email)!, cancellationToken);
                if (user is null)
                {
                    return await CliServer.FailAsync($"No user has the email address {parse.GetValue(Email)}.");
                }

                if (!user.IsActive)
                {
                    Console.WriteLine($"{user.Email} is already inactive.");
                    return 0;
                }

                await UserAdministration.DeactivateAsync(db, user, services.GetServices<IOwnerReassignment>(), cancellationToken);
                Console.WriteLine($"Deactivated {user.Email}.");
                return 0;
            }, cancellationToken);
        });
        return deactivate;
    }

    public static Task<User?> FindUserAsync(AidaDb db, string email, CancellationToken cancellationToken)
    {
        var normalized = UserAdministration.NormalizeEmail(email);
        return db.Set<User>().FirstOrDefaultAsync(u => u.Email == normalized && u.Id != User.SystemId, cancellationToken);
    }

    /// <summary>The team named (or with the id) <paramref name="nameOrId"/>, saved inside the caller's transaction when new.</summary>
    private static async Task<(Team? Team, bool IsNew)> FindOrAddTeamAsync(AidaDb db, string? nameOrId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(nameOrId))
        {
            return (null, false);
        }

        var name = nameOrId.Trim();
        var existing = Guid.TryParse(name, out var id)
            ? await db.Set<Team>().FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            : await db.Set<Team>().FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        if (existing is not null)
        {
            return (existing, false);
        }

        var team = new Team { Name = name };
        db.Add(team);
        await db.SaveChangesAsync(cancellationToken);
        return (team, true);
    }
}
