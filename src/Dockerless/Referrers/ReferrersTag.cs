namespace Dockerless.Referrers;

/// <summary>
/// The tags that point at referrers where a registry has no referrers API: the distribution-spec
/// 1.1 fallback (<c>ALG-HEX</c>, an index of the referrers) and cosign's legacy tags beside it.
/// </summary>
internal static class ReferrersTag
{
    /// <summary>The longest tag the distribution grammar allows.</summary>
    private const int MaxTagLength = 128;

    /// <summary>The fallback tag of <paramref name="subject"/>: its algorithm, a dash and its hex, cut to 128 characters as the spec says.</summary>
    public static string For(Digest subject)
    {
        var tag = $"{subject.Algorithm}-{subject.Encoded}";
        return tag.Length <= MaxTagLength ? tag : tag[..MaxTagLength];
    }

    private static readonly string[] LegacySuffixes = [".sig", ".att", ".sbom"];

    /// <summary>The tags cosign before OCI 1.1 gives a subject's signature, attestations and SBOM.</summary>
    public static IReadOnlyList<string> Legacy(Digest subject) => [.. LegacySuffixes.Select(suffix => $"{subject.Algorithm}-{subject.Encoded}{suffix}")];
}
