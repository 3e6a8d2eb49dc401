using System.Net;
using System.Net.Sockets;

namespace Aida.Platform.Events.Webhooks;

/// <summary>
/// The SSRF guard: a webhook may not point at the server's own machine or network — loopback, private
/// (RFC 1918, fc00::/7), link-local (169.254/16, fe80::/10, where cloud metadata services live),
/// unspecified or multicast addresses — unless <see cref="WebhookOptions.AllowPrivateNetworks"/> is on.
/// Checked when a URL is saved (a 400 naming "url") and again at every connection (the sender's
/// ConnectCallback connects only to an address checked here), so a name that later resolves elsewhere
/// (DNS rebinding) gains nothing.
/// </summary>
public static class WebhookAddresses
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.Broadcast) || address.Equals(IPAddress.None))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0                                  // 0.0.0.0/8 "this network"
                || b[0] == 10                                   // 10/8
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)    // 172.16/12
                || (b[0] == 192 && b[1] == 168)                 // 192.168/16
                || (b[0] == 169 && b[1] == 254)                 // link-local, cloud metadata
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)   // 100.64/10, carrier-grade NAT
                || b[0] >= 224);                                // multicast and reserved
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC);                      // fc00::/7 unique local
        }

        return false;
    }

    /// <summary>Why <paramref name="url"/> may not be a webhook's address, or null when it may.</summary>
    public static async Task<string?> ProblemAsync(Uri url, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(url.IdnHost, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return "The host name does not resolve.";
        }

        if (addresses.Length == 0)
        {
            return "The host name does not resolve.";
        }

        return allowPrivateNetworks || addresses.All(IsPublic)
            ? null
            : "Points at a loopback, private, link-local or multicast address; webhooks may only reach public addresses (an administrator can allow private networks with Webhooks:AllowPrivateNetworks).";
    }

    /// <summary>
    /// Connects to the first address of <paramref name="host"/> that may be reached: the sender's
    /// ConnectCallback, so the address checked is the address connected to.
    /// </summary>
    public static async Task<Socket> ConnectAsync(string host, int port, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => allowPrivateNetworks || IsPublic(a)).ToList();
        if (allowed.Count == 0)
        {
            throw new WebhookAddressRefusedException();
        }

        SocketException? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}

/// <summary>The host resolved only to addresses webhooks may not reach.</summary>
public sealed class WebhookAddressRefusedException()
    : IOException("The host resolves only to loopback, private, link-local or multicast addresses, which webhooks may not reach.");
