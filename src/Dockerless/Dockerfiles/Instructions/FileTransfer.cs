namespace Dockerless.Dockerfiles;

/// <summary>The sources and destination of COPY or ADD.</summary>
/// <param name="Sources">The source paths (or URLs) as written, heredocs left out.</param>
/// <param name="InlineSources">The files given as heredocs (<c>COPY &lt;&lt;EOF /dest</c>), in order.</param>
/// <param name="Destination">The destination as written; a trailing <c>/</c> makes it a directory.</param>
public sealed record FileTransfer(IReadOnlyList<string> Sources, IReadOnlyList<InlineSource> InlineSources, string Destination);
