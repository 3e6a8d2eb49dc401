namespace Aida.Platform.Events;

public static class Outbox
{
    /// <summary>
    /// Queues an event for the outbox. It is written by the next save, in the same transaction as the
    /// change it describes, or not at all. The payload is built at that save — after timestamps and
    /// versions are stamped — so it shows exactly the state that was committed.
    /// </summary>
    public static void Publish(this AidaDb db, string type, string subject, Func<object> data) =>
        db.PendingEvents.Add(new PendingEvent(type, subject, data));

    /// <summary>
    /// Queues an update event for <paramref name="entity"/> only if a field the audit log tracks changed:
    /// an update that changes nothing is not news to anyone listening. The event's data gets the names of
    /// the changed fields.
    /// </summary>
    public static void PublishChanges(this AidaDb db, object entity, string type, string subject, Func<IReadOnlyList<string>, object> data)
    {
        var changes = db.ChangedFields(entity);
        if (changes.Count > 0)
        {
            db.Publish(type, subject, () => data(changes));
        }
    }

    internal static void Flush(AidaDb db, DateTime now)
    {
        foreach (var pending in db.PendingEvents)
        {
            var data = pending.Data();
            var customerId = CustomerOf(pending.Subject);
            var (audience, userId) = EventAudiences.Of(pending.Subject, customerId);
            db.Set<OutboxEvent>().Add(new OutboxEvent
            {
                Type = pending.Type,
                Subject = pending.Subject,
                OccurredAt = now,
                ActorId = db.Operation.ActorId,
                RequestId = db.Operation.RequestId,
                CustomerId = customerId,
                Audience = audience,
                UserId = userId,
                NoteId = NoteOf(pending.Subject),
                Data = JsonSerializer.Serialize(data, data.GetType(), ApiJson.Options),
            });
        }

        db.EventsUncommitted |= db.PendingEvents.Count > 0;
        db.PendingEvents.Clear();
        db.ReactedEvents = 0;
    }

    /// <summary>A note's events have subjects ending "notes/{id}"; notes carry their own visibility.</summary>
    private static Guid? NoteOf(string subject)
    {
        const string marker = "/notes/";
        var at = subject.LastIndexOf(marker, StringComparison.Ordinal);
        return at >= 0 && Guid.TryParse(subject.AsSpan(at + marker.Length), out var id) ? id : null;
    }

    /// <summary>Subjects name their customer first ("customers/{id}/contacts/{id}"); other subjects belong to no customer.</summary>
    internal static Guid? CustomerOf(string subject)
    {
        const string prefix = "customers/";
        if (!subject.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = subject.AsSpan(prefix.Length);
        var slash = rest.IndexOf('/');
        return Guid.TryParse(slash < 0 ? rest : rest[..slash], out var id) ? id : null;
    }
}

public sealed record PendingEvent(string Type, string Subject, Func<object> Data)
{
    /// <summary>The customer the event is about, when its subject names one.</summary>
    public Guid? CustomerId => Outbox.CustomerOf(Subject);
}
