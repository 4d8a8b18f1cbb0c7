namespace Dockerless.Dockerfiles;

/// <summary>What <see cref="ShellLexer.Expand"/> made of a text.</summary>
/// <param name="Text">The text as one word: variables replaced, quotes and escapes removed, spaces kept.</param>
/// <param name="Words">The text split into words at unquoted white space, after expansion.</param>
/// <param name="UsedVariables">The variables the text read that were set (even to an empty value): what a cache key depends on.</param>
/// <param name="UnsetVariables">The variables the text referred to that were not set.</param>
public sealed record ShellExpansion(
    string Text,
    IReadOnlyList<string> Words,
    IReadOnlySet<string> UsedVariables,
    IReadOnlySet<string> UnsetVariables);
