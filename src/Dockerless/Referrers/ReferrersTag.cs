namespace Dockerless.Referrers;

/// <summary>
/// The tag that points at referrers where a registry has no referrers API: the distribution-spec
/// 1.1 fallback: <c>ALG-HEX</c>, an index of the referrers.
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
}
