using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text;

namespace Aida.Features.Customers.Duplicates;

/// <summary>How closely two names agree, as a careful reader would judge it.</summary>
public enum NameAgreement
{
    /// <summary>Nothing to compare (one side has no name).</summary>
    Unknown,

    /// <summary>Clearly not the same name.</summary>
    Different,

    /// <summary>Same family name, but a different given name: evidence of a different person (household, office).</summary>
    DifferentGivenName,

    /// <summary>Alike but not the same: a typo, a sound-alike, an initial.</summary>
    Similar,

    /// <summary>The same name, allowing for spelling variants, transliteration and nicknames.</summary>
    Same,
}

/// <summary>A person's name split into given names and family names, in the comparison form.</summary>
public sealed record PersonName(IReadOnlyList<string> Given, IReadOnlyList<string> Family)
{
    public static readonly PersonName None = new([], []);

    /// <summary>
    /// From first and last name when they are known; otherwise from a display name: "Smith, John" puts the
    /// family name first, "John Smith" last.
    /// </summary>
    public static PersonName Of(string? firstName, string? lastName, string? displayName)
    {
        var given = NameMatching.Tokens(firstName);
        var family = NameMatching.Tokens(lastName);
        if (family.Count > 0 && given.Count > 0)
        {
            return new PersonName(given, family);
        }

        if (string.IsNullOrWhiteSpace(displayName))
        {
            return new PersonName(given, family);
        }

        var comma = displayName.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0)
        {
            return new PersonName(NameMatching.Tokens(displayName[(comma + 1)..]), NameMatching.Tokens(displayName[..comma]));
        }

        var tokens = NameMatching.Tokens(displayName);
        return tokens.Count switch
        {
            0 => None,
            1 => new PersonName([], tokens),
            _ => new PersonName([.. tokens.Take(tokens.Count - 1)], [tokens[^1]]),
        };
    }
}

/// <summary>
/// Name comparison token by token: transliteration (ä/ae, ø/oe, å/aa, ı/i, ß/ss), initials, nicknames and
/// diminutives, Cologne phonetics (better than Soundex for German, Nordic and Slavic names, where Soundex
/// keeps the first letter and so parts "Meyer" from "Mayer" only by luck) and one-edit typos.
/// </summary>
public static class NameMatching
{
    /// <summary>
    /// Nicknames and diminutives by the name they stand for. Maintained here: add a line for a missing one;
    /// each group lists the formal name first.
    /// </summary>
    private static readonly string[][] NicknameGroups =
    [
        ["robert", "bob", "bobby", "rob", "robbie", "bert"],
        ["katherine", "kate", "katie", "kathy", "cathy", "catherine", "kathryn", "katharina", "kat", "kitty"],
        ["edward", "ed", "eddie", "eddy", "ted", "teddy", "ned"],
        ["william", "will", "bill", "billy", "willy", "liam", "wilhelm", "willi"],
        ["richard", "rick", "ricky", "dick", "rich", "richie"],
        ["james", "jim", "jimmy", "jamie"],
        ["john", "johnny", "jack", "jon", "johann", "johannes", "hans", "jan"],
        ["margaret", "maggie", "meg", "peggy", "marge", "greta", "gretchen", "margarete"],
        ["elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "elisabeth", "lisa", "liesel", "elsa", "libby"],
        ["michael", "mike", "mikey", "mick", "micky", "michel", "micha"],
        ["william", "wim"],
        ["thomas", "tom", "tommy", "thom"],
        ["joseph", "joe", "joey", "josef", "sepp"],
        ["charles", "charlie", "chuck", "karl", "carl"],
        ["christopher", "chris", "kit", "christoph"],
        ["christine", "chris", "chrissy", "christina", "kristin", "tina"],
        ["daniel", "dan", "danny"],
        ["david", "dave", "davy"],
        ["anthony", "tony", "anton", "toni"],
        ["alexander", "alex", "sasha", "sascha", "xander", "alexandr"],
        ["alexandra", "alex", "sandra", "sasha", "lexi"],
        ["andrew", "andy", "drew", "andreas", "andre"],
        ["benjamin", "ben", "benny", "benji"],
        ["samuel", "sam", "sammy"],
        ["samantha", "sam", "sammy"],
        ["matthew", "matt", "matthias", "mathias", "matti"],
        ["nicholas", "nick", "nicky", "nico", "nikolaus", "klaus", "niklas"],
        ["patrick", "pat", "paddy"],
        ["patricia", "pat", "patty", "trish", "tricia"],
        ["peter", "pete", "pit"],
        ["stephen", "steve", "steven", "stefan", "stephan"],
        ["susan", "sue", "susie", "suzanne", "susanne", "susanna"],
        ["jennifer", "jen", "jenny"],
        ["jessica", "jess", "jessie"],
        ["rebecca", "becky", "becca"],
        ["victoria", "vicky", "tori"],
        ["deborah", "debbie", "deb"],
        ["dorothy", "dot", "dottie", "dorothea"],
        ["frederick", "fred", "freddie", "fritz", "friedrich"],
        ["gregory", "greg"],
        ["harold", "harry", "hal"],
        ["henry", "harry", "hank", "heinrich", "heinz", "henri"],
        ["joshua", "josh"],
        ["jonathan", "jon", "jonny"],
        ["kenneth", "ken", "kenny"],
        ["lawrence", "larry", "laurence", "lorenz"],
        ["leonard", "leo", "len", "lenny"],
        ["nathaniel", "nathan", "nate", "nat"],
        ["raymond", "ray"],
        ["ronald", "ron", "ronnie"],
        ["timothy", "tim", "timmy"],
        ["walter", "walt", "wally"],
        ["zachary", "zach", "zack"],
        ["abigail", "abby", "gail"],
        ["amanda", "mandy"],
        ["barbara", "barb", "babs", "bärbel"],
        ["caroline", "carol", "carrie", "carolyn"],
        ["eleanor", "ellie", "nell", "nora", "elly"],
        ["helen", "helena", "lena", "ellen", "helene"],
        ["jacqueline", "jackie"],
        ["josephine", "jo", "josie", "fifi"],
        ["judith", "judy", "jutta"],
        ["kimberly", "kim"],
        ["madeline", "maddie", "madeleine"],
        ["megan", "meg"],
        ["melissa", "mel", "missy"],
        ["nancy", "ann", "anne", "anna", "annie", "hannah", "anja", "anke"],
        ["pamela", "pam"],
        ["theresa", "terry", "tess", "tessa", "resi", "therese"],
        ["wolfgang", "wolf"],
        ["jurgen", "jorg"],
        ["gerhard", "gerd", "gert"],
        ["bernhard", "bernd", "bernie", "bernard"],
        ["ulrich", "uli", "ulli"],
        ["manfred", "manni"],
        ["francesco", "franco", "cesco", "frank", "francis", "franz", "francois"],
        ["giuseppe", "beppe", "peppe", "pino"],
        ["alejandro", "alejo", "ale"],
        ["francisco", "paco", "pancho", "curro"],
        ["jose", "pepe"],
        ["ignacio", "nacho"],
        ["dolores", "lola"],
        ["guadalupe", "lupe"],
        ["maria", "mari", "mia", "marie", "mary", "mimi"],
        ["aleksander", "olek", "aleks"],
        ["malgorzata", "gosia"],
        ["katarzyna", "kasia"],
        ["wojciech", "wojtek"],
    ];

    /// <summary>Each nickname or formal name → the ids of the groups it belongs to (some, like "chris", have two).</summary>
    private static readonly FrozenDictionary<string, int[]> NicknameIndex = BuildNicknameIndex();

    private static FrozenDictionary<string, int[]> BuildNicknameIndex()
    {
        var index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var group = 0; group < NicknameGroups.Length; group++)
        {
            foreach (var name in NicknameGroups[group])
            {
                var form = Transliterate(name);
                if (!index.TryGetValue(form, out var groups))
                {
                    index[form] = groups = [];
                }

                groups.Add(group);
            }
        }

        return index.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The words of a name in comparison form: folded, transliterated, punctuation dropped.</summary>
    public static IReadOnlyList<string> Tokens(string? text) =>
        Matching.Words(text?.Replace('.', ' ')).Select(Transliterate).Where(t => t.Length > 0).ToList();

    /// <summary>
    /// One spelling for the ways a letter is written across languages: "Jürgen"/"Juergen"/"Jurgen" →
    /// "jurgen", "Søren"/"Soeren" → "soren", "Åse"/"Aase" → "ase", "Işık" → "isik". Both sides of every
    /// comparison pass through this, so an over-eager rewrite ("michael" → "michal") costs nothing.
    /// </summary>
    public static string Transliterate(string word)
    {
        var folded = Matching.Fold(word);
        var builder = new StringBuilder(folded.Length);
        for (var i = 0; i < folded.Length; i++)
        {
            var c = folded[i];
            if (c == 'ı')
            {
                builder.Append('i');
                continue;
            }

            if (!char.IsLetterOrDigit(c))
            {
                continue;
            }

            // ae, oe, ue, aa: the ASCII spellings of ä, ö/ø, ü, å collapse to the base vowel, as Fold made of the originals.
            if (i + 1 < folded.Length && folded[i + 1] is var next
                && ((c == 'a' && next is 'e' or 'a') || (c == 'o' && next == 'e') || (c == 'u' && next == 'e' && (i == 0 || folded[i - 1] != 'q'))))
            {
                builder.Append(c);
                i++;
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The blocking key by which a customer's name variants are looked up (customers.name_block): for a
    /// person, how the family name sounds (Cologne phonetics) and the initial of the formal first name
    /// ("Bob Smith" and "Robert Smyth" both "p:868:r"); for an organization, its first distinctive word.
    /// Empty when the name has no letters.
    /// </summary>
    public static string NameBlock(CustomerType type, string? displayName)
    {
        if (type == CustomerType.Organization)
        {
            return OrganizationWords(displayName) is { Count: > 0 } words ? "o:" + words[0] : "";
        }

        var person = PersonName.Of(null, null, displayName);
        if (person.Family.Count == 0)
        {
            return "";
        }

        var family = ColognePhonetic.Code(person.Family[^1]);
        if (family.Length == 0)
        {
            family = person.Family[^1];
        }

        return person.Given.Count == 0 ? "p:" + family : "p:" + family + ":" + FormalInitial(person.Given[0]);
    }

    /// <summary>The first letter of the formal name a nickname stands for ("bob" → 'r'), or of the name itself.</summary>
    private static char FormalInitial(string given) =>
        NicknameIndex.TryGetValue(given, out var groups) ? Transliterate(NicknameGroups[groups[0]][0])[0] : given[0];

    /// <summary>True when the two given names are the same person's: equal, nicknames of one name, or one the other's initial.</summary>
    public static bool SameGivenName(string a, string b) =>
        a == b || IsInitialOf(a, b) || IsInitialOf(b, a) || AreNicknames(a, b);

    public static bool AreNicknames(string a, string b) =>
        NicknameIndex.TryGetValue(a, out var ga) && NicknameIndex.TryGetValue(b, out var gb) && ga.Any(gb.Contains);

    private static bool IsInitialOf(string initial, string name) => initial.Length == 1 && name.Length > 0 && name[0] == initial[0];

    /// <summary>Alike enough to be a misspelling: one edit apart (two for long names), or sounding the same.</summary>
    public static bool Alike(string a, string b)
    {
        if (a == b)
        {
            return true;
        }

        if (a.Length < 3 || b.Length < 3)
        {
            return false;
        }

        var allowed = Math.Min(a.Length, b.Length) >= 8 ? 2 : 1;
        if (Math.Abs(a.Length - b.Length) <= allowed && EditDistance(a, b, allowed) <= allowed)
        {
            return true;
        }

        // Sound-alikes only for longer words: short ones ("lulu", "lola") share a code too easily.
        return a.Length >= 5 && b.Length >= 5 && ColognePhonetic.Code(a) is { Length: > 2 } code && code == ColognePhonetic.Code(b);
    }

    /// <summary>Compares two people's names: family names, then given names, and the pair swapped (a form filled the wrong way round).</summary>
    public static NameAgreement ComparePeople(PersonName a, PersonName b)
    {
        if (a.Family.Count + a.Given.Count == 0 || b.Family.Count + b.Given.Count == 0)
        {
            return NameAgreement.Unknown;
        }

        var straight = ComparePeopleOnce(a, b);
        if (straight is NameAgreement.Same)
        {
            return straight;
        }

        var swapped = ComparePeopleOnce(a, new PersonName(b.Family, b.Given));
        return (NameAgreement)Math.Max((int)straight, Math.Min((int)swapped, (int)NameAgreement.Similar));
    }

    private static NameAgreement ComparePeopleOnce(PersonName a, PersonName b)
    {
        var familyExact = Overlap(a.Family, b.Family, (x, y) => x == y);
        var familyAlike = familyExact || Overlap(a.Family, b.Family, Alike);
        if (!familyAlike)
        {
            // A family name missing on one side: judge by the given names alone, but never as the same person.
            if (a.Family.Count == 0 || b.Family.Count == 0)
            {
                var given = Overlap(a.Given.Concat(a.Family).ToList(), b.Given.Concat(b.Family).ToList(), Alike);
                return given ? NameAgreement.Similar : NameAgreement.Different;
            }

            return NameAgreement.Different;
        }

        if (a.Given.Count == 0 || b.Given.Count == 0)
        {
            return NameAgreement.Similar;
        }

        var first = (a: a.Given[0], b: b.Given[0]);
        if (first.a == first.b || AreNicknames(first.a, first.b))
        {
            return familyExact ? NameAgreement.Same : NameAgreement.Similar;
        }

        // A name split by a stray space ("jac ob"), cut short ("ky" for "kyo"), an initial, a typo or a sound-alike.
        var joinedA = string.Concat(a.Given);
        var joinedB = string.Concat(b.Given);
        if (joinedA == joinedB)
        {
            return familyExact ? NameAgreement.Same : NameAgreement.Similar;
        }

        if (SameGivenName(first.a, first.b) || Alike(first.a, first.b) || Alike(joinedA, joinedB) || Overlap(a.Given, b.Given, SameGivenName)
            || (Math.Min(first.a.Length, first.b.Length) >= 2 && (first.a.StartsWith(first.b, StringComparison.Ordinal) || first.b.StartsWith(first.a, StringComparison.Ordinal))))
        {
            return NameAgreement.Similar;
        }

        return NameAgreement.DifferentGivenName;
    }

    /// <summary>
    /// Company names compared by their distinctive words — legal forms and noise words ("Group", "Holding")
    /// dropped — allowing a typo per word and abbreviations ("deli" for "delicatessen").
    /// </summary>
    public static NameAgreement CompareOrganizations(string? a, string? b) => CompareOrganizations(OrganizationWords(a), OrganizationWords(b));

    /// <summary>As <see cref="CompareOrganizations(string?, string?)"/>, on names already split into their distinctive words.</summary>
    public static NameAgreement CompareOrganizations(IReadOnlyList<string> x, IReadOnlyList<string> y)
    {
        if (x.Count == 0 || y.Count == 0)
        {
            return NameAgreement.Unknown;
        }

        if (string.Join(' ', x) == string.Join(' ', y) || string.Concat(x) == string.Concat(y))
        {
            return NameAgreement.Same;
        }

        var (shorter, longer) = x.Count <= y.Count ? (x, y) : (y, x);
        var matched = shorter.Count(word => longer.Any(other => WordsAgree(word, other)));
        if (matched == shorter.Count && (shorter.Count >= 2 || shorter[0].Length >= 5 || longer.Count == 1))
        {
            return shorter.Count == longer.Count && shorter.All(longer.Contains) ? NameAgreement.Same : NameAgreement.Similar;
        }

        var similarity = JaroWinkler.Similarity(string.Join(' ', x), string.Join(' ', y));
        if (similarity >= 0.93)
        {
            return NameAgreement.Similar;
        }

        return NameAgreement.Different;
    }

    private static bool WordsAgree(string a, string b) =>
        a == b || Alike(a, b) || (a.Length >= 3 && b.Length >= 3 && (a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal)));

    /// <summary>The distinctive words of a company name: without legal forms (any language Aida checks tax ids for), noise words and "the".</summary>
    public static IReadOnlyList<string> OrganizationWords(string? name)
    {
        // "A/S" (Danish, Norwegian) would otherwise split into two letters.
        var words = Matching.Words(name?.Replace("A/S", "AS", StringComparison.OrdinalIgnoreCase)).Select(Transliterate).Where(w => w.Length > 0).ToList();
        var distinctive = words.Where(w => !Matching.IsLegalFormOrNoise(w)).ToList();
        return distinctive.Count > 0 ? distinctive : words;
    }

    private static bool Overlap(IReadOnlyList<string> a, IReadOnlyList<string> b, Func<string, string, bool> same) =>
        a.Any(x => b.Any(y => same(x, y)));

    /// <summary>Levenshtein distance, giving up (returning limit + 1) once it exceeds <paramref name="limit"/>.</summary>
    public static int EditDistance(string a, string b, int limit)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var best = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                // A swap of two neighbours is one typo too.
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    current[j] = Math.Min(current[j], previous[j - 1] - cost + 1);
                }

                best = Math.Min(best, current[j]);
            }

            if (best > limit)
            {
                return limit + 1;
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

/// <summary>
/// Kölner Phonetik (Hans Joachim Postel, 1969): a phonetic code built for German names that, unlike
/// Soundex, codes the first letter too and knows the sounds of c, x, ph, dt before s/z. Used on
/// transliterated words, so it also serves Nordic and other Latin-script names reasonably.
/// </summary>
public static class ColognePhonetic
{
    /// <summary>
    /// Codes already worked out. Scoring an import batch compares each name and street with dozens of candidates,
    /// so the same few words are coded again and again; bounded by emptying it when full.
    /// </summary>
    private static readonly ConcurrentDictionary<string, string> Known = new(StringComparer.Ordinal);

    private const int KnownLimit = 200_000;

    private static int _knownCount;

    public static string Code(string word)
    {
        if (Known.TryGetValue(word, out var known))
        {
            return known;
        }

        var code = CodeOf(word);
        if (Interlocked.Increment(ref _knownCount) > KnownLimit)
        {
            Known.Clear();
            Interlocked.Exchange(ref _knownCount, 0);
        }

        Known[word] = code;
        return code;
    }

    private static string CodeOf(string word)
    {
        var letters = Matching.Fold(word).Where(char.IsAsciiLetter).ToArray();
        if (letters.Length == 0)
        {
            return "";
        }

        var raw = new StringBuilder(letters.Length * 2);
        for (var i = 0; i < letters.Length; i++)
        {
            var c = letters[i];
            var previous = i > 0 ? letters[i - 1] : '\0';
            var next = i + 1 < letters.Length ? letters[i + 1] : '\0';
            switch (c)
            {
                case 'a' or 'e' or 'i' or 'j' or 'o' or 'u' or 'y':
                    raw.Append('0');
                    break;
                case 'h':
                    break;
                case 'b':
                    raw.Append('1');
                    break;
                case 'p':
                    raw.Append(next == 'h' ? '3' : '1');
                    break;
                case 'd' or 't':
                    raw.Append(next is 'c' or 's' or 'z' ? '8' : '2');
                    break;
                case 'f' or 'v' or 'w':
                    raw.Append('3');
                    break;
                case 'g' or 'k' or 'q':
                    raw.Append('4');
                    break;
                case 'c':
                    if (i == 0)
                    {
                        raw.Append(next is 'a' or 'h' or 'k' or 'l' or 'o' or 'q' or 'r' or 'u' or 'x' ? '4' : '8');
                    }
                    else
                    {
                        raw.Append(next is 'a' or 'h' or 'k' or 'o' or 'q' or 'u' or 'x' && previous is not ('s' or 'z') ? '4' : '8');
                    }

                    break;
                case 'x':
                    raw.Append(previous is 'c' or 'k' or 'q' ? "8" : "48");
                    break;
                case 'l':
                    raw.Append('5');
                    break;
                case 'm' or 'n':
                    raw.Append('6');
                    break;
                case 'r':
                    raw.Append('7');
                    break;
                case 's' or 'z':
                    raw.Append('8');
                    break;
            }
        }

        // Repeated codes collapse to one; zeros (vowels) are dropped except at the start.
        var code = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (i > 0 && raw[i] == raw[i - 1])
            {
                continue;
            }

            if (raw[i] == '0' && i > 0)
            {
                continue;
            }

            code.Append(raw[i]);
        }

        return code.ToString();
    }
}
