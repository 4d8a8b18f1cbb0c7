namespace Dockerless.Building;

/// <summary>
/// A Dockerfile that parsed but cannot be built as written: a missing source, a stage or user
/// that does not exist, a RUN with no runtime to run it. The message names the file and line as
/// BuildKit does: <c>Dockerfile:7: COPY failed: missing.txt: no such file in the build context</c>.
/// </summary>
public sealed class DockerfileBuildException : DockerlessException
{
    /// <summary>Creates the exception for line <paramref name="line"/> of <paramref name="fileName"/>.</summary>
    public DockerfileBuildException(string fileName, int line, string reason, Exception? innerException = null)
        : base(line > 0 ? $"{fileName}:{line}: {reason}" : $"{fileName}: {reason}", innerException)
    {
        FileName = fileName;
        Line = line;
        Reason = reason;
    }

    /// <summary>The Dockerfile's name as the build was given it.</summary>
    public string FileName { get; }

    /// <summary>The line (from 1) of the instruction at fault; 0 when the fault is the whole build.</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the place.</summary>
    public string Reason { get; }
}
