namespace Dockerless.References;

/// <summary>
/// The pieces of the distribution <c>reference</c> grammar, checked by hand so that an error can
/// name the exact part that is wrong:
/// <code>
/// reference      := name [ ":" tag ] [ "@" digest ]
/// name           := [domain "/"] path-component ["/" path-component]*
/// domain         := host [":" port]           host := domain-name | IPv4 | "[" IPv6 "]"
/// domain-name    := component ["." component]*   component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
/// path-component := [a-z0-9]+ [separator [a-z0-9]+]*   separator := "." | "_" | "__" | "-"+
/// tag            := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
/// digest         := algorithm ":" hex   (sha256 or sha512 here)
/// </code>
/// </summary>
internal static class ReferenceGrammar
{
    /// <summary>The longest name (host plus path) the distribution registry accepts.</summary>
    public const int MaxNameLength = 255;

    /// <summary>The longest tag.</summary>
    public const int MaxTagLength = 128;

    /// <summary>Why <paramref name="host"/> (with optional port) is not a registry domain, or null when it is one.</summary>
    public static string? CheckDomain(string host)
    {
        string hostPart;
        string? port = null;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) return $"the host \"{host}\" opens an IPv6 address with '[' but never closes it";
            var address = host[1..close];
            if (address.Length == 0 || !address.All(c => char.IsAsciiHexDigit(c) || c == ':'))
            {
                return $"the host \"{host}\" is not a valid IPv6 address";
            }
            var rest = host[(close + 1)..];
            if (rest.Length > 0 && rest[0] != ':') return $"the host \"{host}\" has text after the IPv6 address";
            hostPart = host[..(close + 1)];
            port = rest.Length > 0 ? rest[1..] : null;
        }
        else
        {
            var colon = host.IndexOf(':', StringComparison.Ordinal);
            hostPart = colon < 0 ? host : host[..colon];
            port = colon < 0 ? null : host[(colon + 1)..];
            foreach (var component in hostPart.Split('.'))
            {
                if (!IsDomainComponent(component)) return $"the host \"{hostPart}\" is not a valid host name (bad label \"{component}\")";
            }
        }
        if (port is not null && (port.Length == 0 || !port.All(char.IsAsciiDigit)))
        {
            return $"the port \"{port}\" of host \"{hostPart}\" is not a number";
        }
        // The grammar takes any digits; a client cannot reach a port past 65535 (Uri refuses it).
        if (port is not null && !ushort.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return $"the port \"{port}\" of host \"{hostPart}\" is not a number from 0 to 65535";
        }
        return null;
    }

    /// <summary>Why <paramref name="component"/> is not a repository path component, or null when it is one.</summary>
    public static string? CheckPathComponent(string component)
    {
        if (component.Length == 0) return "the repository path has an empty component";
        if (component.Any(char.IsAsciiLetterUpper)) return $"the repository path component \"{component}\" must be lowercase";
        var i = 0;
        while (true)
        {
            var start = i;
            while (i < component.Length && IsLowerAlphaNumeric(component[i])) i++;
            if (i == start) return $"the repository path component \"{component}\" must start and end with a lowercase letter or digit, and separate them with '.', '_', '__' or '-'";
            if (i == component.Length) return null;
            var separator = i;
            while (i < component.Length && !IsLowerAlphaNumeric(component[i])) i++;
            if (!IsSeparator(component.AsSpan(separator, i - separator)))
            {
                return $"the repository path component \"{component}\" has an invalid separator \"{component[separator..i]}\" (allowed: '.', '_', '__', '-', '--', ...)";
            }
        }
    }

    /// <summary>Why <paramref name="tag"/> is not a valid tag, or null when it is one.</summary>
    public static string? CheckTag(string tag)
    {
        if (tag.Length == 0) return "the tag is empty";
        if (tag.Length > MaxTagLength) return $"the tag \"{tag}\" is longer than {MaxTagLength} characters";
        if (!IsWordChar(tag[0])) return $"the tag \"{tag}\" must start with a letter, digit or '_'";
        foreach (var c in tag)
        {
            if (!IsWordChar(c) && c != '.' && c != '-') return $"the tag \"{tag}\" contains '{c}' (allowed: letters, digits, '_', '.', '-')";
        }
        return null;
    }

    /// <summary>The digest in <paramref name="text"/>, or a reason it is not one.</summary>
    public static string? CheckDigest(string text, out Digest digest)
        => Digest.TryParse(text, out digest, out var error) ? null : $"the digest \"{text}\" is not valid: {error}";

    /// <summary>True for 64 lowercase hex digits: an image ID, which docker refuses as a repository name.</summary>
    public static bool IsImageId(string text) => text.Length == 64 && text.All(c => char.IsAsciiDigit(c) || char.IsAsciiHexDigitLower(c));

    private static bool IsDomainComponent(string component)
        => component.Length > 0
           && char.IsAsciiLetterOrDigit(component[0])
           && char.IsAsciiLetterOrDigit(component[^1])
           && component.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static bool IsSeparator(ReadOnlySpan<char> separator)
        => separator is "." or "_" or "__" || (separator.Length > 0 && !separator.ContainsAnyExcept('-'));

    private static bool IsLowerAlphaNumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
