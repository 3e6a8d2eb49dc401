using Aida.Features.Interactions.Notifications;
using Aida.Platform.Auth;
using Microsoft.AspNetCore.Components;

namespace Aida.Features.Interactions.Pages;

/// <summary>The Notifications section of the profile page: the same preferences as /api/v1/me/notification-preferences.</summary>
public sealed class NotificationPreferencesProfileSection : IProfileSection
{
    public int Order => 100;

    public async Task<RenderFragment> RenderAsync(HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var preferences = await NotificationPreferences.ReadAsync(db, db.Operation.ActorId, cancellationToken);
        var context = UiContext.For(http);
        return builder =>
        {
            builder.OpenComponent<NotificationPreferencesSection>(0);
            builder.AddComponentParameter(1, nameof(NotificationPreferencesSection.Context), context);
            builder.AddComponentParameter(2, nameof(NotificationPreferencesSection.Preferences), preferences);
            builder.CloseComponent();
        };
    }
}

public static class NotificationPreferencePages
{
    /// <summary>Every kind is on the form: a box left unticked posts nothing and turns that channel off.</summary>
    public static async Task<IResult> Save(HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var kinds = Enum.GetValues<NotificationKind>().Select(kind =>
        {
            var name = EnumText<NotificationKind>.ToText(kind);
            var channels = EnumText<NotificationChannel>.AllNames.Where(channel => form[$"{name}.{channel}"] == "true").ToList();
            return new KindChannelsRequest(name, channels);
        }).ToList();
        var result = await NotificationPreferences.SaveAsync(new NotificationPreferencesRequest(kinds, form["dailyDigest"] == "true"), db, cancellationToken);
        return Html.Finish(http, result.Failure, "/account/profile", "Your notification preferences were saved.");
    }
}
