namespace Aida.Platform.Ui;

/// <summary>Counts the layout shows on every page for the signed-in user (the notifications badge), supplied by the feature that owns them.</summary>
public interface ILayoutCounts
{
    Task<int> UnreadNotificationsAsync(CancellationToken cancellationToken);
}
