namespace Dockerless.Locations;

/// <summary>What a copy wrote.</summary>
/// <param name="Digest">The digest of the manifest or index the destination holds now; null where it keeps no manifest (docker-archive, daemon).</param>
/// <param name="Platforms">The platform of each image copied.</param>
public sealed record CopyResult(Digest? Digest, IReadOnlyList<Platform> Platforms);
