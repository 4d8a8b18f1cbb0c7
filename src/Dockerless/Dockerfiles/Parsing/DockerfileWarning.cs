namespace Dockerless.Dockerfiles;

/// <summary>Something BuildKit's parser accepts but warns about, such as an empty continuation line.</summary>
/// <param name="Message">The warning in BuildKit's words.</param>
/// <param name="Line">The line (from 1) it is about.</param>
public sealed record DockerfileWarning(string Message, int Line);
