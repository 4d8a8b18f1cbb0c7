using System.Globalization;
using System.Text.RegularExpressions;

namespace Dockerless.Dockerfiles;

/// <summary>
/// Reads a <c>--mount</c> value as BuildKit does: comma-separated <c>key=value</c> fields (and the
/// bare <c>ro</c>, <c>rw</c>, <c>required</c>), each value expanded, then checked against the
/// mount type. Faults are unplaced <see cref="DockerfileSyntaxException"/>s in BuildKit's words.
/// </summary>
internal static partial class RunMountParser
{
    private static readonly string[] Types = ["bind", "cache", "tmpfs", "secret", "ssh"];
    private static readonly string[] SharingModes = ["shared", "private", "locked"];
    private static readonly string[] Keys =
    [
        "type", "from", "source", "target", "readonly", "id", "sharing", "required", "size", "mode", "uid", "gid",
        "src", "dst", "destination", "ro", "rw", "readwrite", "env",
    ];

    /// <summary>
    /// The checks BuildKit makes before expansion, when the instruction is parsed: the value is
    /// one CSV record, and <c>from=</c> names no variable.
    /// </summary>
    public static void Check(string spec)
    {
        foreach (var field in Fields(spec))
        {
            var equals = field.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || !field[..equals].Equals("from", StringComparison.OrdinalIgnoreCase)) continue;
            var value = field[(equals + 1)..];
            var dollar = value.IndexOf('$', StringComparison.Ordinal);
            if (dollar >= 0 && dollar != value.Length - 1) throw Refuse("'from' doesn't support variable expansion, define alias stage instead");
        }
    }

    /// <summary>The mount <paramref name="spec"/> describes, each value passed through <paramref name="expand"/> first.</summary>
    public static RunMount Parse(string spec, Func<string, string> expand)
    {
        var mount = new RunMount();
        bool? readOnly = null;
        foreach (var field in Fields(spec))
        {
            var equals = field.IndexOf('=', StringComparison.Ordinal);
            var key = (equals < 0 ? field : field[..equals]).ToLowerInvariant();
            if (equals < 0)
            {
                switch (key)
                {
                    case "readonly" or "ro":
                        readOnly = true;
                        continue;
                    case "readwrite" or "rw":
                        readOnly = false;
                        continue;
                    case "required" when mount.Type is "secret" or "ssh":
                        mount = mount with { Required = true };
                        continue;
                    case "required":
                        throw Refuse($"unexpected key '{key}' for mount type '{mount.Type}'");
                    default:
                        throw Refuse($"invalid field '{field}' must be a key=value pair");
                }
            }
            var value = expand(field[(equals + 1)..]);
            switch (key)
            {
                case "type":
                    var type = value.ToLowerInvariant();
                    if (!Types.Contains(type)) throw Refuse($"unsupported mount type {GoStrings.Quote(value)}{Suggest(value, Types)}");
                    mount = mount with { Type = type };
                    break;
                case "from":
                    mount = mount with { From = value };
                    break;
                case "source" or "src":
                    mount = mount with { Source = value };
                    break;
                case "target" or "dst" or "destination":
                    mount = mount with { Target = value };
                    break;
                case "readonly" or "ro":
                    readOnly = Boolean(key, value);
                    break;
                case "readwrite" or "rw":
                    readOnly = !Boolean(key, value);
                    break;
                case "required" when mount.Type is "secret" or "ssh":
                    mount = mount with { Required = Boolean(key, value) };
                    break;
                case "size" when mount.Type == "tmpfs":
                    mount = mount with { SizeLimit = Size(value) ?? throw Refuse($"invalid value for {key}: {value}") };
                    break;
                case "required" or "size":
                    throw Refuse($"unexpected key '{key}' for mount type '{mount.Type}'");
                case "id":
                    mount = mount with { Id = value };
                    break;
                case "sharing":
                    var sharing = value.ToLowerInvariant();
                    if (!SharingModes.Contains(sharing)) throw Refuse($"unsupported sharing value {GoStrings.Quote(value)}{Suggest(value, SharingModes)}");
                    mount = mount with { Sharing = sharing };
                    break;
                case "mode":
                    mount = mount with { Mode = Number(value, 8) ?? throw Refuse($"invalid value {value} for mode") };
                    break;
                case "uid":
                    mount = mount with { Uid = Number(value, 10) ?? throw Refuse($"invalid value {value} for uid") };
                    break;
                case "gid":
                    mount = mount with { Gid = Number(value, 10) ?? throw Refuse($"invalid value {value} for gid") };
                    break;
                case "env":
                    mount = mount with { Env = value };
                    break;
                default:
                    throw Refuse($"unexpected key '{key}' in '{field}'{Suggest(key, Keys)}");
            }
        }
        return Checked(mount with { ReadOnly = readOnly ?? mount.Type is not ("cache" or "tmpfs") });
    }

    private static RunMount Checked(RunMount mount)
    {
        if (mount.Type is not ("secret" or "ssh" or "cache"))
        {
            if (mount.Mode is not null) throw Refuse($"mode not allowed for {GoStrings.Quote(mount.Type)} type mounts");
            if (mount.Uid is not null) throw Refuse($"uid not allowed for {GoStrings.Quote(mount.Type)} type mounts");
            if (mount.Gid is not null) throw Refuse($"gid not allowed for {GoStrings.Quote(mount.Type)} type mounts");
        }
        if (mount.Type == "secret")
        {
            if (!string.IsNullOrEmpty(mount.From)) throw Refuse("secret mount should not have a from");
            if (!string.IsNullOrEmpty(mount.Sharing)) throw Refuse("secret mount should not define sharing");
            if (string.IsNullOrEmpty(mount.Source) && string.IsNullOrEmpty(mount.Target) && string.IsNullOrEmpty(mount.Id))
            {
                throw Refuse("invalid secret mount. one of source, target required");
            }
            if (!string.IsNullOrEmpty(mount.Source) && !string.IsNullOrEmpty(mount.Id)) throw Refuse("both source and id can't be set");
        }
        if (!string.IsNullOrEmpty(mount.Sharing) && mount.Type != "cache") throw Refuse($"invalid cache sharing set for {mount.Type} mount");
        return mount;
    }

    private static List<string> Fields(string spec) =>
        CsvFields.Split(spec, out var error) ?? throw Refuse($"failed to parse csv mounts: {error}");

    private static string Suggest(string value, string[] options) => Suggestion.Suffix(Suggestion.Closest(value, options, ignoreCase: false));

    /// <summary>Go's <c>strconv.ParseBool</c>.</summary>
    private static bool Boolean(string key, string value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw Refuse($"invalid value for {key}: {value}"),
    };

    /// <summary>An unsigned 32-bit number in <paramref name="radix"/> 8 or 10, or null.</summary>
    private static uint? Number(string text, int radix)
    {
        if (text.Length == 0 || !text.All(c => c >= '0' && c < '0' + radix)) return null;
        try
        {
            return Convert.ToUInt32(text, radix);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>A size such as <c>64m</c> or <c>1.5GiB</c> in bytes (binary units, as Docker's RAMInBytes), or null.</summary>
    private static long? Size(string text)
    {
        var match = SizeText().Match(text);
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var size)) return null;
        var exponent = "kmgtp".IndexOf(char.ToLowerInvariant(match.Groups[3].Value.FirstOrDefault()), StringComparison.Ordinal) + 1;
        return (long)(size * Math.Pow(1024, exponent));
    }

    private static DockerfileSyntaxException Refuse(string reason) => DockerfileSyntaxException.Unplaced(reason);

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)*) ?([kKmMgGtTpP])?[iI]?[bB]?\z", RegexOptions.CultureInvariant)]
    private static partial Regex SizeText();
}
