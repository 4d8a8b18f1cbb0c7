namespace Dockerless.Auth;

/// <summary>
/// What <see cref="DockerCredentialStore.LogoutAsync"/> did. <see cref="Warnings"/> holds the credential
/// helper's failures: as with <c>docker logout</c>, they do not fail the logout (the file is still
/// cleaned), but a secret may remain in the helper, so the caller shows them.
/// </summary>
/// <param name="Erased">Whether any credentials were removed, from the helper or the file.</param>
/// <param name="Warnings">One line per helper failure, naming the helper and key, never a secret.</param>
public sealed record LogoutResult(bool Erased, IReadOnlyList<string> Warnings);
