namespace Aida.Platform.Http;

/// <summary>
/// The rule every piece of text Aida takes obeys — JSON strings, query values, form fields: no control
/// characters except tab and line breaks (single-line fields refuse those too, in
/// <see cref="ValidationErrors.OptionalText"/>), and no broken UTF-16. A NUL cannot be stored in
/// PostgreSQL and an unpaired surrogate cannot be encoded anywhere, so both are refused at the door
/// with the field named, instead of failing deep inside a handler.
/// </summary>
public static class TextInput
{
    public const string ControlCharacters = "Must not contain control characters.";
    public const string BrokenText = "Is not valid text: it holds an unpaired UTF-16 surrogate.";

    /// <summary>What is wrong with <paramref name="text"/>, or null when it may be taken.</summary>
    public static string? Problem(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return BrokenText;
            }
            else if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return ControlCharacters;
            }
        }

        return null;
    }
}
