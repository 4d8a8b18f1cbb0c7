using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Dockerless.Content;

/// <summary>
/// A content digest as the OCI image-spec writes it: <c>algorithm:encoded</c>, for example
/// <c>sha256:e3b0c442...</c>. sha256 and sha512 are supported.
/// </summary>
public readonly record struct Digest : IComparable<Digest>
{
    /// <summary>The name of the SHA-256 algorithm.</summary>
    public const string Sha256 = "sha256";

    /// <summary>The name of the SHA-512 algorithm.</summary>
    public const string Sha512 = "sha512";

    private Digest(string algorithm, string encoded)
    {
        Algorithm = algorithm;
        Encoded = encoded;
    }

    /// <summary>The algorithm, <c>sha256</c> or <c>sha512</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The lowercase hexadecimal hash.</summary>
    public string Encoded { get; }

    /// <summary>Parses <c>algorithm:hex</c>; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Digest Parse(string value)
        => TryParse(value, out var digest, out var error) ? digest : throw new FormatException($"invalid digest \"{value}\": {error}");

    /// <summary>Parses <c>algorithm:hex</c> without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest) => TryParse(value, out digest, out _);

    /// <summary>Parses <c>algorithm:hex</c> without throwing; <paramref name="error"/> says what is wrong.</summary>
    internal static bool TryParse(string? value, out Digest digest, out string error)
    {
        digest = default;
        if (string.IsNullOrEmpty(value)) { error = "it is empty"; return false; }
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) { error = "it has no algorithm prefix"; return false; }
        var algorithm = value[..colon];
        var encoded = value[(colon + 1)..];
        var length = algorithm switch { Sha256 => 64, Sha512 => 128, _ => 0 };
        if (length == 0) { error = $"unsupported algorithm \"{algorithm}\""; return false; }
        if (encoded.Length != length) { error = $"{algorithm} needs {length} hex digits, got {encoded.Length}"; return false; }
        foreach (var c in encoded)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) { error = "the hash must be lowercase hexadecimal"; return false; }
        }
        digest = new Digest(algorithm, encoded);
        error = "";
        return true;
    }

    /// <summary>The SHA-256 digest of <paramref name="data"/>.</summary>
    public static Digest Compute(ReadOnlySpan<byte> data)
        => new(Sha256, Convert.ToHexStringLower(SHA256.HashData(data)));

    /// <summary>The digest of <paramref name="data"/> by <paramref name="algorithm"/> (<see cref="Sha256"/> or <see cref="Sha512"/>).</summary>
    public static Digest Compute(ReadOnlySpan<byte> data, string algorithm) => algorithm switch
    {
        Sha256 => Compute(data),
        Sha512 => new(Sha512, Convert.ToHexStringLower(SHA512.HashData(data))),
        _ => throw new ArgumentException($"unsupported digest algorithm \"{algorithm}\" (sha256 or sha512)", nameof(algorithm)),
    };

    /// <summary>Wraps a finished hash of <paramref name="algorithm"/>.</summary>
    internal static Digest FromHash(string algorithm, ReadOnlySpan<byte> hash) => new(algorithm, Convert.ToHexStringLower(hash));

    /// <summary>An incremental hash for <paramref name="algorithm"/> (sha512, else sha256).</summary>
    internal static IncrementalHash CreateHash(string algorithm) => algorithm switch
    {
        Sha512 => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
    };

    /// <summary>True when this is the default (empty) value.</summary>
    public bool IsEmpty => Encoded is null;

    /// <summary>The digest as <c>algorithm:hex</c>.</summary>
    public override string ToString() => IsEmpty ? "" : $"{Algorithm}:{Encoded}";

    /// <inheritdoc/>
    public int CompareTo(Digest other) => string.CompareOrdinal(ToString(), other.ToString());

    /// <summary>Ordinal order of the digest strings.</summary>
    public static bool operator <(Digest left, Digest right) => left.CompareTo(right) < 0;
    /// <summary>Ordinal order of the digest strings.</summary>
    public static bool operator <=(Digest left, Digest right) => left.CompareTo(right) <= 0;
    /// <summary>Ordinal order of the digest strings.</summary>
    public static bool operator >(Digest left, Digest right) => left.CompareTo(right) > 0;
    /// <summary>Ordinal order of the digest strings.</summary>
    public static bool operator >=(Digest left, Digest right) => left.CompareTo(right) >= 0;
}
