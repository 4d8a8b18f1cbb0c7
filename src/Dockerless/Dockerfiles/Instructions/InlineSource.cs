namespace Dockerless.Dockerfiles;

/// <summary>A file that COPY or ADD takes from a heredoc instead of the context.</summary>
/// <param name="Path">The file's name: the heredoc's delimiter.</param>
/// <param name="Data">The body (leading tabs already removed for <c>&lt;&lt;-</c>).</param>
/// <param name="Expand">Whether variables in the body are expanded (the delimiter was not quoted).</param>
public sealed record InlineSource(string Path, string Data, bool Expand);
