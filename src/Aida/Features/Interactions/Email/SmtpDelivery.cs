using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Aida.Features.Interactions.Email;

/// <summary>What one attempt to hand a message to the SMTP server came to.</summary>
public enum AttemptResult
{
    /// <summary>The server accepted the message (250 after DATA).</summary>
    Accepted,

    /// <summary>Not delivered, and worth trying again: no connection, a dropped one before the message went, a 4xx reply.</summary>
    Transient,

    /// <summary>Refused for good with a 5xx reply.</summary>
    Permanent,

    /// <summary>Refused for good because the server refused the recipient's address (5xx to RCPT TO): a bounce.</summary>
    RecipientRefused,

    /// <summary>The connection failed after the server had accepted the recipient: the message may or may not have been accepted.</summary>
    Unknown,
}

public sealed record Attempt(AttemptResult Result, string? Reason);

/// <summary>
/// One SMTP connection reused for a run of the send job (MailKit). It tells a failure before the message
/// could have been accepted (retry is safe) from one after the server accepted the recipient, when the DATA
/// transfer may have completed on the server's side though its reply never arrived (retry could send twice).
/// </summary>
public sealed class SmtpDelivery(SmtpOptions options) : IAsyncDisposable
{
    private TrackingSmtpClient? _client;

    public async Task<Attempt> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var client = _client ??= new TrackingSmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        client.RecipientAccepted = false;
        try
        {
            if (!client.IsConnected)
            {
                var security = options.Security switch
                {
                    SmtpSecurity.None => SecureSocketOptions.None,
                    SmtpSecurity.Ssl => SecureSocketOptions.SslOnConnect,
                    _ => SecureSocketOptions.StartTls,
                };
                await client.ConnectAsync(options.Host ?? "", options.Port, security, cancellationToken);
                if (!string.IsNullOrEmpty(options.User))
                {
                    await client.AuthenticateAsync(options.User, options.Password ?? "", cancellationToken);
                }
            }

            await client.SendAsync(message, cancellationToken);
            return new Attempt(AttemptResult.Accepted, null);
        }
        catch (SmtpCommandException e)
        {
            // A refusal is an answer: the connection stays usable (MailKit has reset the transaction with RSET).
            var code = (int)e.StatusCode;
            var reason = Truncate($"The SMTP server answered {code}: {e.Message}");
            if (code < 500)
            {
                return new Attempt(AttemptResult.Transient, reason);
            }

            return new Attempt(e.ErrorCode == SmtpErrorCode.RecipientNotAccepted ? AttemptResult.RecipientRefused : AttemptResult.Permanent, reason);
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException
            or TimeoutException or AuthenticationException or SslHandshakeException or OperationCanceledException)
        {
            var acceptedRecipient = client.RecipientAccepted;
            await DropAsync();
            if (acceptedRecipient)
            {
                return new Attempt(AttemptResult.Unknown,
                    "The connection to the SMTP server failed while the message was being handed over: it may or may not have been accepted. Resend it if the recipient did not get it.");
            }

            var reason = e switch
            {
                SocketException socket => $"Could not reach the SMTP server {options.Host}:{options.Port} ({socket.SocketErrorCode}).",
                AuthenticationException => "The SMTP server refused the configured user name or password (Email:Smtp:User, Email:Smtp:Password).",
                SslHandshakeException => "The TLS handshake with the SMTP server failed (check Email:Smtp:Security and the server's certificate).",
                TimeoutException or OperationCanceledException when !cancellationToken.IsCancellationRequested => "The SMTP server did not answer in time.",
                OperationCanceledException => "Aida stopped before the message was handed over.",
                _ => "The connection to the SMTP server was lost before the message was handed over.",
            };
            return new Attempt(AttemptResult.Transient, reason);
        }
    }

    private async Task DropAsync()
    {
        if (_client is { } client)
        {
            _client = null;
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(quit: false, CancellationToken.None);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or ObjectDisposedException)
            {
                // The connection is already broken; it is discarded either way.
            }

            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is { IsConnected: true } client)
        {
            try
            {
                await client.DisconnectAsync(quit: true, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or SmtpCommandException or ObjectDisposedException)
            {
                // QUIT is a courtesy; the messages were settled before it.
            }
        }

        _client?.Dispose();
        _client = null;
    }

    private static string Truncate(string text) =>
        text.Length <= Communications.Communication.DeliveryErrorMaxLength ? text : text[..(Communications.Communication.DeliveryErrorMaxLength - 1)] + "…";

    /// <summary>Notes when the server accepts a recipient: from then on a lost connection may hide an accepted message.</summary>
    private sealed class TrackingSmtpClient : SmtpClient
    {
        public bool RecipientAccepted { get; set; }

        protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
        {
            RecipientAccepted = true;
            base.OnRecipientAccepted(message, mailbox, response);
        }
    }
}
