using System.Text;
using CsCheck;

namespace Dockerless.Tests.Fuzz;

/// <summary>
/// Mutation-based inputs: a good document or tar from a seed corpus with 1 to 8 edits: bit flips,
/// random or "interesting" bytes, insertions, deletions, duplicated ranges, truncation. The
/// edits are drawn from a seed CsCheck generates, so every failing case is replayable.
/// </summary>
internal static class Mutator
{
    private static readonly byte[][] JsonTokens =
    [
        .. new[]
        {
            "\"", "{", "}", "[", "]", ",", ":", "null", "true", "-1", "0", "1e999", "99999999999999999999", "\"\"", "\\u0000", "\\ud800",
            "\"sha256:\"", "\"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"", "\"sha512:00\"", "{\"a\":",
            "\"mediaType\":", "\"rootfs\":null", "\"diff_ids\":[null]", "\"manifests\":[{}]", "\"layers\":null", "\"platform\":{}", "\"size\":-5",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    /// <summary>JSON values to put where a value was, so that most mutants still parse as JSON and reach the readers' checks.</summary>
    private static readonly string[] JsonValues =
    [
        "null", "true", "-1", "0", "1e999", "99999999999999999999", "\"\"", "\"sha256:\"", "\"sha256:E3B0\"", "{}", "[]", "[null]", "[{}]", "{\"a\":1}",
        "\"application/vnd.oci.image.index.v1+json\"", "\"application/vnd.docker.distribution.manifest.list.v2+json\"", "\"../../etc/passwd\"", "\"/abs\"",
        "[\"a\",\"b\"]", "\"\\u0000\"", "2147483648", "9223372036854775808",
    ];

    private static readonly byte[][] TarTokens =
    [
        .. new[] { "77777777777\0", "00000000000\0", "../../", "/", "x", "L", "g", "S", "1", "2", "3", "5", "ustar\0", "00", "\0\0\0\0", "20 size=999999999\n", "path=" }
            .Select(Encoding.ASCII.GetBytes),
        [0x80, 0, 0, 0, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF],
    ];

    /// <summary>JSON documents from <paramref name="corpus"/>, mutated.</summary>
    public static Gen<byte[]> Json(params byte[][] corpus) => Gen.OneOf(From(corpus, JsonTokens),
        Gen.Select(Gen.Int[0, corpus.Length - 1], Gen.Int[1, 4], Gen.Int, (which, edits, seed) => ReplaceValues(corpus[which], edits, new Random(seed))));

    /// <summary>Replaces <paramref name="edits"/> values (what follows a colon: a scalar, or a whole object or array) with other JSON values.</summary>
    private static byte[] ReplaceValues(byte[] original, int edits, Random random)
    {
        var text = Encoding.UTF8.GetString(original);
        for (var i = 0; i < edits; i++)
        {
            var colon = text.IndexOf(':', random.Next(text.Length));
            if (colon < 0) continue;
            var end = EndOfValue(text, colon + 1);
            text = string.Concat(text.AsSpan(0, colon + 1), JsonValues[random.Next(JsonValues.Length)], text.AsSpan(end));
        }
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Where the value starting at <paramref name="start"/> ends: after its closing bracket, or at the next separator.</summary>
    private static int EndOfValue(string text, int start)
    {
        var depth = 0;
        var quoted = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']' when depth == 0:
                    return i;
                case '}' or ']':
                    if (--depth == 0) return i + 1;
                    break;
                case ',' when depth == 0:
                    return i;
            }
        }
        return text.Length;
    }

    /// <summary>Tars from <paramref name="corpus"/>, mutated.</summary>
    public static Gen<byte[]> Tar(params byte[][] corpus) => From(corpus, TarTokens);

    private static Gen<byte[]> From(byte[][] corpus, byte[][] tokens)
        => Gen.Select(Gen.Int[0, corpus.Length - 1], Gen.OneOf(Gen.Const(1), Gen.Const(2), Gen.Int[1, 8]), Gen.Int, (which, edits, seed) => Mutate(corpus[which], edits, new Random(seed), tokens));

    private static byte[] Mutate(byte[] original, int edits, Random random, byte[][] tokens)
    {
        var bytes = new List<byte>(original);
        for (var i = 0; i < edits; i++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    var token = tokens[random.Next(tokens.Length)];
                    bytes.RemoveRange(at, Math.Min(token.Length, bytes.Count - at));
                    bytes.InsertRange(at, token);
                    break;
                case 3:
                    bytes.InsertRange(at, tokens[random.Next(tokens.Length)]);
                    break;
                case 4 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 64), bytes.Count - at));
                    break;
                case 5 when bytes.Count > 0:
                    var length = Math.Min(random.Next(1, 1024), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }
        return [.. bytes];
    }
}
