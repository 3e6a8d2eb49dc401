using System.Security.Cryptography;
using System.Text;

namespace Aida.Platform.Events.Webhooks;

/// <summary>
/// Secrets and signatures the Standard Webhooks way: a secret is "whsec_" + base64 of 32 random bytes,
/// and a delivery is signed with HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}" keyed by the
/// secret's bytes, sent as "v1,{base64}" (several, space-separated, while a rotated secret is still honoured).
/// </summary>
public static class WebhookSecrets
{
    public const string Prefix = "whsec_";

    public static string NewSecret() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static byte[] KeyOf(string secret) => Convert.FromBase64String(secret[Prefix.Length..]);

    /// <summary>The <c>webhook-signature</c> value: one "v1,…" per secret.</summary>
    public static string Signature(string id, long timestamp, string body, params IEnumerable<string> secrets)
    {
        var content = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}.{body}"));
        return string.Join(' ', secrets.Select(secret => "v1," + Convert.ToBase64String(HMACSHA256.HashData(KeyOf(secret), content))));
    }
}
