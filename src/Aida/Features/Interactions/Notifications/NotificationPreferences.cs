namespace Aida.Features.Interactions.Notifications;

/// <summary>One kind of notification and the channels it reaches the user on (none: the user does not hear of it).</summary>
public sealed record KindChannels(NotificationKind Kind, IReadOnlyList<NotificationChannel> Channels);

/// <summary>Every kind of notification with its channels, and whether the daily digest email is on.</summary>
public sealed record NotificationPreferencesResponse(IReadOnlyList<KindChannels> Kinds, bool DailyDigest);

/// <summary>A kind and its channels as sent: text, so that an unknown kind or channel is answered naming the field.</summary>
public sealed record KindChannelsRequest(string? Kind, IReadOnlyList<string>? Channels);

/// <summary>The kinds listed are set; kinds left out keep their setting. A dailyDigest left out keeps it.</summary>
public sealed record NotificationPreferencesRequest(IReadOnlyList<KindChannelsRequest>? Kinds, bool? DailyDigest);

/// <summary>
/// The signed-in user's notification preferences (issue 19 item 5): every <see cref="NotificationKind"/> is
/// listed, with the defaults (in-app on, email off) unless the user changed it, so a new kind shows up here with
/// no extra work. Changes are audited as the user's own (notification_preference, notification_digest).
/// </summary>
public static class NotificationPreferences
{
    public static async Task<Ok<NotificationPreferencesResponse>> Get(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ReadAsync(db, db.Operation.ActorId, cancellationToken));

    public static async Task<Results<Ok<NotificationPreferencesResponse>, ValidationProblem>> Put(
        [FromBody] NotificationPreferencesRequest? request, AidaDb db, CancellationToken cancellationToken) =>
        (await SaveAsync(request, db, cancellationToken)).ToOkOrInvalid();

    public static async Task<NotificationPreferencesResponse> ReadAsync(AidaDb db, Guid userId, CancellationToken cancellationToken)
    {
        var stored = await db.Set<NotificationPreference>().AsNoTracking().Where(p => p.UserId == userId)
            .ToDictionaryAsync(p => p.Kind, p => (p.InApp, p.Email), cancellationToken);
        var digest = await db.Set<NotificationDigest>().AsNoTracking().Where(d => d.UserId == userId)
            .Select(d => d.Enabled).FirstOrDefaultAsync(cancellationToken);
        var kinds = Enum.GetValues<NotificationKind>().Select(kind =>
        {
            var (inApp, email) = stored.GetValueOrDefault(kind, NotificationPreference.Defaults);
            return new KindChannels(kind, Channels(inApp, email));
        }).ToList();
        return new NotificationPreferencesResponse(kinds, digest);
    }

    public static async Task<Result<NotificationPreferencesResponse>> SaveAsync(
        NotificationPreferencesRequest? request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var wanted = Validate(request, errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var userId = db.Operation.ActorId;
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var stored = await db.Set<NotificationPreference>().Where(p => p.UserId == userId).ToDictionaryAsync(p => p.Kind, cancellationToken);
        foreach (var (kind, (inApp, email)) in wanted)
        {
            if (stored.TryGetValue(kind, out var preference))
            {
                preference.InApp = inApp;
                preference.Email = email;
            }
            else if ((inApp, email) != NotificationPreference.Defaults)
            {
                db.Add(new NotificationPreference { UserId = userId, Kind = kind, InApp = inApp, Email = email });
            }
        }

        if (request?.DailyDigest is { } daily)
        {
            var digest = await db.Set<NotificationDigest>().FirstOrDefaultAsync(d => d.UserId == userId, cancellationToken);
            if (digest is not null)
            {
                digest.Enabled = daily;
            }
            else if (daily)
            {
                db.Add(new NotificationDigest { UserId = userId, Enabled = true });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(await ReadAsync(db, userId, cancellationToken));
    }

    public static IReadOnlyList<NotificationChannel> Channels(bool inApp, bool email) =>
        [.. inApp ? [NotificationChannel.InApp] : Array.Empty<NotificationChannel>(), .. email ? [NotificationChannel.Email] : Array.Empty<NotificationChannel>()];

    private static Dictionary<NotificationKind, (bool InApp, bool Email)> Validate(NotificationPreferencesRequest? request, ValidationErrors errors)
    {
        var wanted = new Dictionary<NotificationKind, (bool, bool)>();
        if (request is null)
        {
            errors.Add("body", "Send the kinds to change and/or dailyDigest.");
            return wanted;
        }

        var items = request.Kinds ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item is null)
            {
                errors.Add($"kinds[{i}]", "Must be an object with a kind and its channels.");
                continue;
            }

            NotificationKind? kind = null;
            if (!EnumText<NotificationKind>.TryParse(item.Kind, out var parsed))
            {
                errors.Add($"kinds[{i}].kind", "Must be one of " + string.Join(", ", EnumText<NotificationKind>.AllNames) + ".");
            }
            else if (wanted.ContainsKey(parsed))
            {
                errors.Add($"kinds[{i}].kind", $"{item.Kind} is listed twice.");
            }
            else
            {
                kind = parsed;
            }

            if (item.Channels is null)
            {
                errors.Add($"kinds[{i}].channels", "Is required: the channels the kind reaches you on (in_app, email), or [] for none.");
                continue;
            }

            var (inApp, email) = (false, false);
            for (var c = 0; c < item.Channels.Count; c++)
            {
                if (!EnumText<NotificationChannel>.TryParse(item.Channels[c], out var channel))
                {
                    errors.Add($"kinds[{i}].channels[{c}]", "Must be one of " + string.Join(", ", EnumText<NotificationChannel>.AllNames) + ".");
                }
                else if (channel == NotificationChannel.InApp)
                {
                    inApp = true;
                }
                else
                {
                    email = true;
                }
            }

            if (kind is { } k)
            {
                wanted[k] = (inApp, email);
            }
        }

        return wanted;
    }
}
