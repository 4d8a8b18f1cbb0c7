namespace Dockerless.Dockerfiles;

/// <summary>
/// The <c>--name[=value]</c> flags an instruction accepts, checked as BuildKit checks them: an
/// unknown flag (with a suggestion), a repeated flag (except list flags), a missing value or a
/// boolean that is not true or false are unplaced <see cref="DockerfileSyntaxException"/>s.
/// </summary>
internal sealed class InstructionFlags
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _lists = new(StringComparer.Ordinal);

    private InstructionFlags()
    {
    }

    /// <summary>Checks <paramref name="written"/> against the accepted boolean, string and list flags.</summary>
    public static InstructionFlags Parse(
        IReadOnlyList<string> written,
        IReadOnlyList<string>? booleans = null,
        IReadOnlyList<string>? strings = null,
        IReadOnlyList<string>? listFlags = null)
    {
        booleans ??= [];
        strings ??= [];
        listFlags ??= [];
        var flags = new InstructionFlags();
        foreach (var flag in written)
        {
            if (flag == "--") break;
            if (!flag.StartsWith("--", StringComparison.Ordinal)) throw Refuse($"arg should start with -- : {flag}");
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            var writtenName = equals < 0 ? flag : flag[..equals];
            var name = writtenName[2..];
            var value = equals < 0 ? null : flag[(equals + 1)..];
            if (listFlags.Contains(name))
            {
                if (value is null) throw Refuse($"missing a value on flag: {writtenName}");
                flags._lists.TryAdd(name, []);
                flags._lists[name].Add(value);
                continue;
            }
            var isBoolean = booleans.Contains(name);
            if (!isBoolean && !strings.Contains(name))
            {
                var suggestion = Suggestion.Closest(name, [.. booleans, .. strings, .. listFlags], ignoreCase: false);
                throw Refuse($"unknown flag: {writtenName}{Suggestion.Suffix(suggestion)}");
            }
            if (flags._values.ContainsKey(name)) throw Refuse($"duplicate flag specified: {writtenName}");
            flags._values[name] = isBoolean ? BooleanValue(writtenName, value) : value ?? throw Refuse($"missing a value on flag: {writtenName}");
        }
        return flags;
    }

    /// <summary>The value of string flag <paramref name="name"/>, or null when it was not given.</summary>
    public string? String(string name) => _values.GetValueOrDefault(name);

    /// <summary>The value of boolean flag <paramref name="name"/>, or null when it was not given.</summary>
    public bool? Boolean(string name) => _values.TryGetValue(name, out var value) ? value == "true" : null;

    /// <summary>Every value of list flag <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<string> List(string name) => _lists.TryGetValue(name, out var found) ? found : [];

    private static string BooleanValue(string writtenName, string? value)
    {
        if (value is "") throw Refuse($"missing a value on flag: {writtenName}");
        return value?.ToLowerInvariant() switch
        {
            null or "true" => "true",
            "false" => "false",
            _ => throw Refuse($"expecting boolean value for flag {writtenName}, not: {value}"),
        };
    }

    private static DockerfileSyntaxException Refuse(string reason) => DockerfileSyntaxException.Unplaced(reason);
}
