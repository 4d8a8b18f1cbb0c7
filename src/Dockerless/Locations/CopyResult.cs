namespace Dockerless.Locations;

/// <summary>What a copy wrote.</summary>
/// <param name="Digest">The digest of the manifest or index the destination holds now; null where it keeps no manifest (docker-archive, daemon).</param>
/// <param name="Platforms">The platform of each image copied (for a whole copy, those its index entries name; none for one manifest, whose config a whole copy does not read).</param>
public sealed record CopyResult(Digest? Digest, IReadOnlyList<Platform> Platforms)
{
    /// <summary>How many referrers (and cosign legacy tags) went along, with <see cref="CopyOptions.Referrers"/>.</summary>
    public int ReferrersCopied { get; init; }

    /// <summary>Without <see cref="CopyOptions.Referrers"/>, how many referrers the source's top has that were not copied; null where they were not counted (not a whole copy, or the source could not list them).</summary>
    public int? ReferrersLeftBehind { get; init; }
}
