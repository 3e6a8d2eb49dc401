namespace Aida.Features.Interactions;

/// <summary>
/// Records another feature keeps that a note or an interaction may be about (<c>relatedType</c> +
/// <c>relatedId</c>): Deals registers opportunities, Leads leads, so Interactions names neither. Registered
/// with <c>services.AddSingleton&lt;ILinkableRecords, …&gt;()</c>; <see cref="RelatedRecords"/> asks the one
/// whose <see cref="Type"/> was sent.
/// </summary>
public interface ILinkableRecords
{
    /// <summary>The <c>relatedType</c> that names these records ("opportunity"), also their name in a refusal.</summary>
    string Type { get; }

    /// <summary>
    /// Whether the record exists and is in the actor's reach: read through the same record filters as
    /// <c>GET /{records}/{id}</c>, so a link can neither point at nothing nor confirm another team's record.
    /// </summary>
    Task<bool> ExistsAsync(AidaDb db, Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// An interaction about one of these records (<see cref="Interaction.RelatedId"/>) is being logged: work
    /// on the record happened (Deals keeps the deal's last activity current). Called by
    /// <see cref="LogInteraction"/> in its transaction, before the save.
    /// </summary>
    Task InteractionLoggedAsync(AidaDb db, Interaction interaction, CancellationToken cancellationToken);
}
