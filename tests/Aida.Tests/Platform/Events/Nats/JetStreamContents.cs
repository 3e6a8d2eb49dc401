using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Aida.Tests.Platform.Events.Nats;

/// <summary>One message of the stream as a consumer receives it.</summary>
public sealed record StreamMessage(ulong Sequence, string Subject, string? MsgId, JsonElement Body);

/// <summary>Reads a whole JetStream stream the way a consumer does: an ordered consumer from its first message.</summary>
public static class JetStreamContents
{
    public static async Task<List<StreamMessage>> ReadAsync(string url, string stream = "AIDA")
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = url });
        var js = new NatsJSContext(connection);
        var info = await js.GetStreamAsync(stream);
        var expected = info.Info.State.Messages;
        var messages = new List<StreamMessage>();
        if (expected == 0)
        {
            return messages;
        }

        var consumer = await js.CreateOrderedConsumerAsync(stream);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: patience.Token))
        {
            var msgId = message.Headers is { } headers && headers.TryGetValue("Nats-Msg-Id", out var id) ? id.ToString() : null;
            messages.Add(new StreamMessage(message.Metadata!.Value.Sequence.Stream, message.Subject, msgId, JsonDocument.Parse(message.Data!).RootElement.Clone()));
            if (messages.Count == expected)
            {
                break;
            }
        }

        return messages;
    }

    public static async Task<NATS.Client.JetStream.Models.StreamConfig> ConfigAsync(string url, string stream = "AIDA")
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = url });
        return (await new NatsJSContext(connection).GetStreamAsync(stream)).Info.Config;
    }
}
