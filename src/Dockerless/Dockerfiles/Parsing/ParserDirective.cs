namespace Dockerless.Dockerfiles;

/// <summary>A parser directive at the top of a Dockerfile, such as <c># syntax=docker/dockerfile:1</c>.</summary>
/// <param name="Name">The directive's name in lower case: <c>syntax</c>, <c>escape</c> or <c>check</c>.</param>
/// <param name="Value">Its value, without the blanks around it.</param>
/// <param name="Line">The line (from 1) it is on.</param>
public sealed record ParserDirective(string Name, string Value, int Line);
