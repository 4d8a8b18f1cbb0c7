namespace Dockerless.Dockerfiles;

/// <summary>The command of RUN, CMD or ENTRYPOINT.</summary>
/// <param name="Arguments">
/// The exec form's strings; or, for the shell form, one string (the command text) to run through
/// the stage's SHELL. Empty for <c>CMD []</c> and <c>ENTRYPOINT []</c>.
/// </param>
/// <param name="IsShellForm">True for the shell form (prepend the SHELL), false for a JSON array.</param>
/// <param name="Heredocs">The heredocs of a shell-form RUN: files whose bodies the command reads.</param>
public sealed record CommandLine(IReadOnlyList<string> Arguments, bool IsShellForm, IReadOnlyList<Heredoc> Heredocs);
