using System.CommandLine;

namespace Aida.Platform.Hosting.Verbs;

/// <summary>
/// <c>aida token create|revoke</c>: API tokens from the shell. <c>create</c> prints the token alone on
/// standard output — its only appearance — so a script can capture it: <c>TOKEN=$(aida token create …)</c>.
/// </summary>
public static class TokenVerb
{
    private static readonly Option<string> Email = new("--email") { Description = "Email address of the user the token acts for.", Required = true };

    public static Command Create()
    {
        var token = new Command("token", "Create or revoke API tokens.");
        token.Subcommands.Add(CreateCreate());
        token.Subcommands.Add(CreateRevoke());
        return token;
    }

    private static Command CreateCreate()
    {
        var name = new Option<string>("--name") { Description = "What the token is for, e.g. \"zapier\".", Required = true };
        var scope = new Option<string?>("--scope") { Description = "read or write (default write)." };
        var expires = new Option<int?>("--expires") { Description = "Days until the token expires (1–3650); without it, it does not expire." };
        var create = Cli.AddDatabaseOptions(new Command("create", "Create an API token and print it once.") { Email, name, scope, expires });
        create.Validators.Add(result =>
        {
            if (!Cli.RequireAll(result, Email, name))
            {
                return;
            }

            if (result.GetValue(expires) is < 1 or > 3650)
            {
                result.AddError("--expires must be between 1 and 3650 days.");
            }

            if (result.GetValue(scope) is { } text && !EnumText<TokenScope>.TryParse(text, out _))
            {
                result.AddError("--scope must be read or write.");
            }

            if (string.IsNullOrWhiteSpace(result.GetValue(name)) || result.GetValue(name)!.Trim().Length > ApiToken.NameMaxLength)
            {
                result.AddError($"--name must have 1 to {ApiToken.NameMaxLength} characters.");
            }
        });
        create.SetAction(async (parse, cancellationToken) =>
        {
            return await CliServer.RunAsync(parse, async (services, db) =>
            {
                var user = await UserVerb.FindUserAsync(db, parse.GetValue(Email)!, cancellationToken);
                if (user is not { IsActive: true })
                {
                    return await CliServer.FailAsync($"No active user has the email address {parse.GetValue(Email)}.");
                }

                var tokenScope = EnumText<TokenScope>.TryParse(parse.GetValue(scope), out var parsed) ? parsed : TokenScope.Write;
                var expiresAt = parse.GetValue(expires) is { } days ? db.Clock.UtcNow().AddDays(days) : (DateTime?)null;
                var (_, secret) = UserAdministration.AddToken(db, user, parse.GetValue(name)!.Trim(), tokenScope, expiresAt);
                await db.SaveChangesAsync(cancellationToken);
                Console.WriteLine(secret);
                return 0;
            }, cancellationToken);
        });
        return create;
    }

    private static Command CreateRevoke()
    {
        var name = new Option<string?>("--name") { Description = "Revoke the user's tokens with this name." };
        var prefix = new Option<string?>("--prefix") { Description = "Revoke the token whose first characters (as listed) are these, e.g. aida_x1Y2z3." };
        var revoke = Cli.AddDatabaseOptions(new Command("revoke", "Revoke API tokens; requests with them fail from now on.") { Email, name, prefix });
        revoke.Validators.Add(result =>
        {
            if (!Cli.RequireAll(result, Email))
            {
                return;
            }

            if (result.GetValue(name) is null == result.GetValue(prefix) is null)
            {
                result.AddError("Give either --name or --prefix.");
            }
        });
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            return await CliServer.RunAsync(parse, async (services, db) =>
            {
                var user = await UserVerb.FindUserAsync(db, parse.GetValue(Email)!, cancellationToken);
                if (user is null)
                {
                    return await CliServer.FailAsync($"No user has the email address {parse.GetValue(Email)}.");
                }

                var tokenName = parse.GetValue(name)?.Trim();
                var tokenPrefix = parse.GetValue(prefix)?.Trim();
                var tokens = await db.Set<ApiToken>()
                    .Where(t => t.UserId == user.Id && t.RevokedAt == null && (tokenName != null ? t.Name == tokenName : t.Prefix == tokenPrefix))
                    .ToListAsync(cancellationToken);
                if (tokens.Count == 0)
                {
                    return await CliServer.FailAsync($"{user.Email} has no unrevoked token with that {(tokenName is null ? "prefix" : "name")}.");
                }

                foreach (var token in tokens)
                {
                    UserAdministration.Revoke(db, token);
                }

                await db.SaveChangesAsync(cancellationToken);
                Console.WriteLine($"Revoked {tokens.Count} token(s) of {user.Email}: {string.Join(", ", tokens.Select(t => t.Prefix))}.");
                return 0;
            }, cancellationToken);
        });
        return revoke;
    }
}
