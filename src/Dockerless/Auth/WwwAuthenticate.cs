using System.Text;

namespace Dockerless.Auth;

/// <summary>
/// Parses <c>WWW-Authenticate</c> headers (RFC 9110 section 11.6.1): one or more challenges,
/// each a scheme followed by a <c>token68</c> or by comma-separated <c>name=value</c> parameters whose
/// values are tokens or quoted strings with backslash escapes. Registries put several challenges in one
/// header (<c>Bearer realm="...",service="...", Basic realm="..."</c>).
/// </summary>
internal static class WwwAuthenticate
{
    /// <summary>
    /// The challenges in <paramref name="header"/>, in order. It never throws: parsing stops at the
    /// first syntax error and returns the challenges completed before it (none for garbage), because a
    /// client can still use a well-formed challenge that precedes a broken one.
    /// </summary>
    public static IReadOnlyList<AuthChallenge> Parse(string? header)
    {
        var challenges = new List<AuthChallenge>();
        if (string.IsNullOrWhiteSpace(header)) return challenges;
        var reader = new Reader(header);
        while (true)
        {
            reader.SkipListSeparators();
            if (reader.AtEnd) return challenges;
            var challenge = ReadChallenge(ref reader);
            if (challenge is null) return challenges;
            challenges.Add(challenge);
        }
    }

    /// <summary>Every challenge in every header value (a response may carry several WWW-Authenticate headers).</summary>
    public static IReadOnlyList<AuthChallenge> Parse(IEnumerable<string> headers)
        => [.. headers.SelectMany(Parse)];

    /// <summary>Reads one challenge, or null on a syntax error; on success the cursor rests on the next challenge.</summary>
    private static AuthChallenge? ReadChallenge(ref Reader reader)
    {
        var scheme = reader.ReadToken();
        if (scheme is null) return null;
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var spaced = reader.SkipSpaces();
        if (reader.AtEnd || reader.Peek == ',') return new AuthChallenge(scheme, parameters);
        if (!spaced) return null;

        var token68 = reader.TryReadToken68();
        if (token68 is not null) return new AuthChallenge(scheme, parameters) { Token68 = token68 };

        while (true)
        {
            var name = reader.ReadToken();
            if (name is null) return null;
            reader.SkipSpaces();
            if (reader.AtEnd || reader.Peek != '=') return null;
            reader.Position++;
            reader.SkipSpaces();
            var value = reader.AtEnd ? null : reader.Peek == '"' ? reader.ReadQuotedString() : reader.ReadToken();
            if (value is null) return null;
            parameters.TryAdd(name, value);

            reader.SkipSpaces();
            if (reader.AtEnd) return new AuthChallenge(scheme, parameters);
            if (reader.Peek != ',') return null;
            // After a comma comes either another parameter of this challenge or the next challenge's scheme.
            reader.SkipListSeparators();
            if (reader.AtEnd || !reader.NextIsParameter()) return new AuthChallenge(scheme, parameters);
        }
    }

    /// <summary>A cursor over the header text.</summary>
    private struct Reader(string text)
    {
        private readonly string _text = text;

        public int Position { get; set; }

        public readonly bool AtEnd => Position >= _text.Length;

        public readonly char Peek => _text[Position];

        /// <summary>Skips spaces and tabs; true when it skipped any.</summary>
        public bool SkipSpaces()
        {
            var start = Position;
            while (!AtEnd && Peek is ' ' or '\t') Position++;
            return Position > start;
        }

        /// <summary>Skips spaces, tabs and commas (empty list elements are allowed).</summary>
        public void SkipListSeparators()
        {
            while (!AtEnd && Peek is ' ' or '\t' or ',') Position++;
        }

        public string? ReadToken()
        {
            var start = Position;
            while (!AtEnd && IsTokenChar(Peek)) Position++;
            return Position > start ? _text[start..Position] : null;
        }

        /// <summary>True when a <c>token BWS "="</c> follows (a parameter), not a new scheme.</summary>
        public readonly bool NextIsParameter()
        {
            var probe = this;
            if (probe.ReadToken() is null) return false;
            probe.SkipSpaces();
            return !probe.AtEnd && probe.Peek == '=';
        }

        /// <summary>Reads a token68 when the challenge uses that form (it ends at a comma or the end, not at '=' plus a value).</summary>
        public string? TryReadToken68()
        {
            var start = Position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek is '-' or '.' or '_' or '~' or '+' or '/')) Position++;
            if (Position == start) return null;
            while (!AtEnd && Peek == '=') Position++;
            var end = Position;
            SkipSpaces();
            if (AtEnd || Peek == ',') return _text[start..end];
            Position = start;
            return null;
        }

        public string? ReadQuotedString()
        {
            var value = new StringBuilder();
            Position++;
            while (!AtEnd)
            {
                var c = Peek;
                Position++;
                if (c == '"') return value.ToString();
                if (c == '\\')
                {
                    if (AtEnd) return null;
                    c = Peek;
                    Position++;
                }
                value.Append(c);
            }
            return null;
        }

        private static bool IsTokenChar(char c)
            => char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
    }
}
