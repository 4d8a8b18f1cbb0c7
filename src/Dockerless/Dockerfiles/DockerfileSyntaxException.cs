namespace Dockerless.Dockerfiles;

/// <summary>
/// A Dockerfile that BuildKit's frontend refuses. The message names the file and the line where
/// the instruction starts, then BuildKit's own words:
/// <c>Dockerfile:3: unknown instruction: FOOBAR</c>.
/// </summary>
public sealed class DockerfileSyntaxException : DockerlessException
{
    /// <summary>Creates the exception for lines <paramref name="line"/> to <paramref name="endLine"/> of <paramref name="fileName"/>.</summary>
    public DockerfileSyntaxException(string fileName, int line, int endLine, string reason)
        : base(line > 0 ? $"{fileName}:{line}: {reason}" : $"{fileName}: {reason}")
    {
        FileName = fileName;
        Line = line;
        EndLine = Math.Max(line, endLine);
        Reason = reason;
    }

    /// <summary>The Dockerfile's name as it was given to the parser.</summary>
    public string FileName { get; }

    /// <summary>The first line (from 1) of the instruction or directive at fault; 0 when the fault is the whole file.</summary>
    public int Line { get; }

    /// <summary>The last line of the instruction at fault (the same as <see cref="Line"/> for a one-line instruction).</summary>
    public int EndLine { get; }

    /// <summary>What is wrong, in BuildKit's words, such as <c>unknown instruction: FOOBAR</c>.</summary>
    public string Reason { get; }

    /// <summary>A fault found before its place in the file is known; the parser places it with <see cref="At"/>.</summary>
    internal static DockerfileSyntaxException Unplaced(string reason) => new("", 0, 0, reason);

    /// <summary>Whether this fault still waits for <see cref="At"/>.</summary>
    internal bool IsUnplaced => FileName.Length == 0;

    /// <summary>This fault placed at lines <paramref name="line"/> to <paramref name="endLine"/> of <paramref name="fileName"/>.</summary>
    internal DockerfileSyntaxException At(string fileName, int line, int endLine) => new(fileName, line, endLine, Reason);
}
