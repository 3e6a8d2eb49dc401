namespace Aida.Platform.Jobs;

/// <summary>
/// Asks this node's scheduler to run a job as soon as it can rather than at its next due time: a commit
/// that wrote events wakes the deliverers, so delivery lag is a round trip, not a polling interval. Other
/// nodes still find the work at the job's interval. Asking again before the run starts asks once.
/// </summary>
public sealed class JobTriggers
{
    private readonly System.Threading.Channels.Channel<string> _requests =
        System.Threading.Channels.Channel.CreateUnbounded<string>(new() { SingleReader = true });

    public void RunSoon(string jobName) => _requests.Writer.TryWrite(jobName);

    /// <summary>
    /// Wakes this node's scheduler to read the jobs table now, without making any job due: "run now" marks its
    /// job in the table, and a run asked for twice (table and trigger) would run twice.
    /// </summary>
    public void LookNow() => _requests.Writer.TryWrite(LookNowSignal);

    internal const string LookNowSignal = "";

    internal System.Threading.Channels.ChannelReader<string> Requests => _requests.Reader;
}
