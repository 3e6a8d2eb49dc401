using System.Text;

namespace Aida.Platform.Http;

/// <summary>Stable snake-case names for integrations (a stage's code), made from what a person typed.</summary>
public static class Codes
{
    /// <summary>"Demo booked!" → "demo_booked", at most <paramref name="maxLength"/> characters.</summary>
    public static string FromName(string name, int maxLength)
    {
        var code = new StringBuilder();
        foreach (var c in name.Trim().ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                code.Append(c);
            }
            else if (code.Length > 0 && code[^1] != '_')
            {
                code.Append('_');
            }
        }

        var text = code.ToString().Trim('_');
        return text.Length > maxLength ? text[..maxLength].TrimEnd('_') : text;
    }
}
