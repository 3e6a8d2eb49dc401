namespace Aida.Features.Interactions.Communications;

/// <summary>
/// Email threads (Communication AC-1, edge case "thread reconstruction"). A thread is named by its
/// root: the first id in References (RFC 5322 puts the thread's first message there), else In-Reply-To,
/// else the message's own id. Messages that arrive before the ones they answer are joined up when the
/// missing link arrives: a new message adopts its parents' thread, and threads of messages that
/// reference it are merged into that one. So any arrival order ends in one thread.
/// </summary>
public static class Threads
{
    public static async Task<string> JoinAsync(AidaDb db, Communication message, IReadOnlyList<string> references, CancellationToken cancellationToken)
    {
        var all = db.Set<Communication>().IgnoreQueryFilters();
        var parentThreads = references.Count == 0
            ? []
            : await all.Where(c => c.MessageId != null && references.Contains(c.MessageId)).Select(c => c.ThreadId).Distinct().ToListAsync(cancellationToken);
        var childThreads = message.MessageId is not { } own
            ? []
            : await (from r in db.Set<CommunicationReference>()
                     join c in all on r.CommunicationId equals c.Id
                     where r.MessageId == own
                     select c.ThreadId).Distinct().ToListAsync(cancellationToken);

        var thread = parentThreads.Count > 0 ? parentThreads[0]
            : references.Count > 0 ? references[0]
            : message.MessageId
            ?? message.Id.ToString();
        var merged = parentThreads.Concat(childThreads).Where(t => t != thread).Distinct().ToList();
        if (merged.Count > 0)
        {
            await all.Where(c => merged.Contains(c.ThreadId)).ExecuteUpdateAsync(s => s.SetProperty(c => c.ThreadId, thread), cancellationToken);
        }

        return thread;
    }
}
